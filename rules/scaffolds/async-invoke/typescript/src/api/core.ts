/**
 * API mechanics for {{patternName}}: accept a job, start the worker asynchronously, answer 202 Accepted;
 * serve the job's status.
 *
 *   POST /jobs       records the job (QUEUED) and invokes the worker with InvocationType "Event": Lambda
 *                    queues the event and answers at once, so the client gets its job id in milliseconds.
 *   GET  /jobs/{id}  the job's status (QUEUED, RUNNING, SUCCEEDED, FAILED), result or last error.
 *
 * The same `Idempotency-Key` header always maps to the same job, which is started once.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export type Item = Record<string, unknown>;

/** DynamoDB DocumentClient calls on the jobs table (see app.ts). */
export interface JobTable {
  /** Writes the item only if no job has this id; throws ConditionalCheckFailedException otherwise. */
  putNew(item: Item): Promise<void>;
  get(jobId: string): Promise<Item | undefined>;
  delete(jobId: string): Promise<void>;
}

/** Invokes the worker with InvocationType "Event". */
export interface Worker {
  invokeAsync(payload: string): Promise<void>;
}

export type ValidateJob = (input: Item) => Item | Promise<Item>;
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
  jobs: JobTable;
  worker: Worker;
  validateJob: ValidateJob;
  newId: () => string;
  keepJobSeconds: number;
  /** Epoch seconds. */
  now?: () => number;
  log?: Log;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

export function isConditionalCheckFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'ConditionalCheckFailedException';
}

export function parseBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Item {
  let raw = event.body ?? '{}';
  if (event.isBase64Encoded) raw = Buffer.from(raw, 'base64').toString('utf8');
  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch (err) {
    throw new BadRequest(`body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new BadRequest('body must be a JSON object');
  }
  return payload as Item;
}

export function jobIdFor(headers: Record<string, string | undefined> | null | undefined, newId: () => string): string {
  const key = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];
  if (key === undefined) return newId();
  if (!IDEMPOTENCY_KEY.test(key)) throw new BadRequest('Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 _ . : -');
  return key;
}

function respond(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function accepted(jobId: string, status: unknown): APIGatewayProxyResult {
  return respond(202, { jobId, status }, { Location: `/jobs/${jobId}` });
}

export function makeHandler(deps: ApiDeps) {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const log = deps.log ?? jsonLog;

  async function submitJob(jobId: string, input: Item): Promise<APIGatewayProxyResult> {
    const at = now();
    try {
      await deps.jobs.putNew({
        jobId,
        status: 'QUEUED',
        input: JSON.stringify(input),
        attempts: 0,
        createdAt: at,
        expiresAt: at + deps.keepJobSeconds,
      });
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
      const existing = await deps.jobs.get(jobId);
      log('info', 'job already submitted', { jobId, status: existing?.status });
      return accepted(jobId, existing?.status ?? 'QUEUED');
    }

    try {
      // InvocationType "Event": Lambda puts the event on its internal queue and returns 202 at once.
      await deps.worker.invokeAsync(JSON.stringify({ jobId }));
    } catch (err) {
      log('error', 'could not start the worker', { jobId, error: String(err) });
      // Forget the job so that the client's retry (same Idempotency-Key) starts it afresh.
      await deps.jobs.delete(jobId);
      return respond(503, { error: 'could not start the job; retry later' });
    }
    log('info', 'job accepted', { jobId });
    return accepted(jobId, 'QUEUED');
  }

  async function getJob(jobId: string): Promise<APIGatewayProxyResult> {
    const item = jobId ? await deps.jobs.get(jobId) : undefined;
    if (!item) return respond(404, { error: `no job '${jobId}'` });
    const body: Item = { jobId, status: item.status, attempts: Number(item.attempts ?? 0) };
    if (typeof item.result === 'string') body.result = JSON.parse(item.result);
    if (item.error !== undefined) body.error = item.error;
    return respond(200, body);
  }

  return async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    if (event.httpMethod === 'GET') return getJob(event.pathParameters?.jobId ?? '');
    let jobId: string;
    let input: Item;
    try {
      input = await deps.validateJob(parseBody(event));
      jobId = jobIdFor(event.headers, deps.newId);
    } catch (err) {
      if (err instanceof BadRequest) return respond(400, { error: err.message });
      throw err;
    }
    return submitJob(jobId, input);
  };
}
