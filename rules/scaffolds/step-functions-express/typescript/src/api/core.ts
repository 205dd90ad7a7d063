{{#if webhook}}
/**
 * Webhook front door of {{patternName}}: check the sender's signature, start the Express workflow once per
 * delivery, answer 200 at once.
 *
 * The sender ({{sender}}) signs every request; webhook-auth.ts checks it on the raw body and answers 401 when it is
 * missing, wrong or stale. The sender's delivery id is the request id (the execution's idempotency key). An
 * Express workflow started with StartExecution does not dedupe by execution name, so the handler claims the
 * delivery id first with a conditional write (the deliveries table): a redelivery (senders retry when the answer
 * is slow or lost) finds the claim and starts nothing. If the start fails the claim is released, so the sender's
 * retry starts it. The workflow's conditional result write keeps the first outcome if an execution still runs
 * twice (asynchronous Express is at-least-once).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { acknowledgement, Rejected, verify, type Sender } from './webhook-auth';

export type Item = Record<string, unknown>;

/** StartExecution (see app.ts); returns the execution ARN. */
export interface Workflow {
  start(input: string): Promise<string>;
}

/** The DynamoDB DocumentClient calls on the deliveries table (see app.ts). */
export interface Deliveries {
  put(input: { Item: Item; ConditionExpression?: string }): Promise<void>;
  delete(input: { Key: Item }): Promise<void>;
}

/** How long a claim is kept (TTL): senders redeliver for days at most. */
export const KEEP_SECONDS = 7 * 24 * 3600;

function isConditionalCheckFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'ConditionalCheckFailedException';
}

/** Records the delivery id once; false when it was claimed before (a redelivery). */
export async function claim(deliveries: Deliveries, deliveryId: string, sender: string, nowSeconds: number): Promise<boolean> {
  try {
    await deliveries.put({
      Item: { deliveryId, sender, startedAt: nowSeconds, expiresAt: nowSeconds + KEEP_SECONDS },
      ConditionExpression: 'attribute_not_exists(deliveryId)',
    });
    return true;
  } catch (err) {
    if (isConditionalCheckFailure(err)) return false;
    throw err;
  }
}

/** Maps the verified payload to the workflow's `input`. */
export type ToWorkflowInput = (payload: Item) => Item | Promise<Item>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

export interface ApiDeps {
  workflow: Workflow;
  deliveries: Deliveries;
  toWorkflowInput: ToWorkflowInput;
  /** The webhook sender ({{sender}}) and its signing secret: every request's signature is checked. */
  sender: Sender;
  signingSecret: string;
  /** generic only: the header that carries HMAC-SHA256(secret, body) in hex. */
  signatureHeader?: string;
  /** Epoch seconds. */
  now?: () => number;
  log?: Log;
}

function respond(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export function makeHandler(deps: ApiDeps) {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const log = deps.log ?? jsonLog;

  return async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    let delivery;
    try {
      delivery = verify(event, deps.sender, deps.signingSecret, { nowSeconds: now(), header: deps.signatureHeader });
    } catch (err) {
      if (!(err instanceof Rejected)) throw err;
      log('warn', 'webhook rejected', { sender: deps.sender, status: err.status, reason: err.message });
      return respond(err.status, { error: err.message });
    }
    if (delivery.challenge !== undefined) return respond(200, acknowledgement(delivery)); // url_verification: no work

    const requestId = String(delivery.id);
    if (!(await claim(deps.deliveries, requestId, deps.sender, now()))) {
      log('info', 'delivery already started', { requestId });
      return respond(200, { ...acknowledgement(delivery), requestId, duplicate: true });
    }
    const workflowInput: Item = { requestId, input: await deps.toWorkflowInput(delivery.payload) };
    if (delivery.responseUrl) workflowInput.responseUrl = delivery.responseUrl; // a slash command: the late answer goes there
    let executionArn: string;
    try {
      executionArn = await deps.workflow.start(JSON.stringify(workflowInput));
    } catch (err) {
      await deps.deliveries.delete({ Key: { deliveryId: requestId } }); // not started: let the sender's retry start it
      throw err;
    }
    log('info', 'workflow started', { requestId, executionArn });
    return respond(200, { ...acknowledgement(delivery), requestId });
  };
}
{{else}}
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
{{/if}}
