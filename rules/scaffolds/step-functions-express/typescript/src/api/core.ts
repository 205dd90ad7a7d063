/**
 * API mechanics for {{patternName}}: start the Express workflow and serve its stored result.
 *
 *   POST /orders              startMode "async": StartExecution and answer 202 with the request id; the client
 *                             polls GET /orders/{requestId}. startMode "sync": StartSyncExecution and answer with
 *                             the result (only when the workflow reliably finishes well inside the 29 s window).
 *   GET  /orders/{requestId}  the outcome the workflow stored: SUCCEEDED with the result, REJECTED or FAILED.
 *
 * Express executions keep no history you can query (DescribeExecution does not apply), which is why the
 * workflow writes its outcome to the results table. A request id that already has an outcome is not started
 * again, so a client may safely retry with the same `Idempotency-Key`.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export type Item = Record<string, unknown>;

export interface SyncExecution {
  status: string;
  error?: string;
  cause?: string;
}

/** The Step Functions calls the API makes (see app.ts). */
export interface Workflow {
  /** StartExecution; returns the execution ARN. */
  start(input: string): Promise<string>;
  /** StartSyncExecution; returns when the execution has stopped. */
  startSync(input: string): Promise<SyncExecution>;
}

/** GetItem on the results table, keyed by requestId. */
export interface Results {
  get(requestId: string): Promise<Item | undefined>;
}

/** Maps the HTTP body to the workflow's `input`; throw BadRequest to answer 400. */
export type ToWorkflowInput = (body: Item) => Item | Promise<Item>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

export class BadRequest extends Error {
  override name = 'BadRequest';
}

export interface ApiDeps {
  workflow: Workflow;
  results: Results;
  toWorkflowInput: ToWorkflowInput;
  startMode: 'async' | 'sync';
  newId: () => string;
  log?: Log;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,80}$/;

export function parseBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Item {
  let raw = event.body ?? '{}';
  if (event.isBase64Encoded) raw = Buffer.from(raw, 'base64').toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    throw new BadRequest(`body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('body must be a JSON object');
  return body as Item;
}

export function requestIdFor(headers: Record<string, string | undefined> | null | undefined, newId: () => string): string {
  const key = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];
  if (key === undefined) return newId();
  if (!IDEMPOTENCY_KEY.test(key)) throw new BadRequest('Idempotency-Key must be 1-80 characters of A-Z a-z 0-9 _ . : -');
  return key;
}

function respond(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function outcome(requestId: string, item: Item): APIGatewayProxyResult {
  const body: Item = { requestId, status: item.status };
  if (typeof item.result === 'string') body.result = JSON.parse(item.result);
  if (item.error !== undefined) body.error = item.error;
  return respond(200, body);
}

export function makeHandler(deps: ApiDeps) {
  const log = deps.log ?? jsonLog;

  async function startSync(requestId: string, input: string): Promise<APIGatewayProxyResult> {
    const execution = await deps.workflow.startSync(input);
    log('info', 'workflow finished', { requestId, status: execution.status });
    if (execution.status === 'SUCCEEDED') {
      const item = await deps.results.get(requestId);
      return item ? outcome(requestId, item) : respond(200, { requestId, status: 'SUCCEEDED' });
    }
    if (execution.error === 'ValidationError') {
      return respond(400, { requestId, status: 'REJECTED', error: execution.cause ?? '' });
    }
    return respond(502, { requestId, status: execution.status, error: execution.error ?? '' });
  }

  return async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    if (event.httpMethod === 'GET') {
      const requestId = event.pathParameters?.requestId ?? '';
      const item = requestId ? await deps.results.get(requestId) : undefined;
      return item ? outcome(requestId, item) : respond(404, { requestId, status: 'UNKNOWN_OR_RUNNING' });
    }

    let requestId: string;
    let input: Item;
    try {
      input = await deps.toWorkflowInput(parseBody(event));
      requestId = requestIdFor(event.headers, deps.newId);
    } catch (err) {
      if (err instanceof BadRequest) return respond(400, { error: err.message });
      throw err;
    }

    const existing = await deps.results.get(requestId);
    if (existing) {
      log('info', 'request already has an outcome', { requestId });
      return outcome(requestId, existing);
    }

    const workflowInput = JSON.stringify({ requestId, input });
    if (deps.startMode === 'sync') return startSync(requestId, workflowInput);
    const executionArn = await deps.workflow.start(workflowInput);
    log('info', 'workflow started', { requestId, executionArn });
    return respond(202, { requestId, status: 'RUNNING' }, { Location: `/orders/${requestId}` });
  };
}
