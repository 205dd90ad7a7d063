/**
 * Producer mechanics for {{patternName}}: validate a task, queue it, answer 202 Accepted with its id.
 *
 * The task id travels in the message and is the worker's idempotency key, so a client that retries with
 * the same `Idempotency-Key` header gets the same task id and the task still runs once.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
{{#if webhook}}
import { acknowledgement, Rejected, verify, type Sender } from './webhook-auth';
{{/if}}

export type Item = Record<string, unknown>;

/** Sends one message body to the task queue (see app.ts). */
export interface TaskQueue {
  send(body: string): Promise<void>;
}

/** Checks (and may enrich) a task before it is queued; throw a BadRequest to answer 400. */
export type ValidateTask = (payload: Item) => Item | Promise<Item>;

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

/** SQS's maximum message size (1 MiB): a bigger task belongs in S3, with its key in the message. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface ProducerDeps {
  queue: TaskQueue;
  validateTask: ValidateTask;
  newId: () => string;
{{#if webhook}}
  /** The webhook sender ({{sender}}) and its signing secret: every request's signature is checked. */
  sender: Sender;
  signingSecret: string;
  /** generic only: the header that carries HMAC-SHA256(secret, body) in hex. */
  signatureHeader?: string;
{{/if}}
  /** Epoch seconds. */
  now?: () => number;
  log?: Log;
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

export function taskIdFor(headers: Record<string, string | undefined> | null | undefined, newId: () => string): string {
  const key = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];
  if (key === undefined) return newId();
  if (!IDEMPOTENCY_KEY.test(key)) throw new BadRequest('Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 _ . : -');
  return key;
}

function respond(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export function makeHandler(deps: ProducerDeps) {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const log = deps.log ?? jsonLog;

  return async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    let taskId: string;
    let payload: Item;
{{#if webhook}}
    // A third-party webhook: the sender's signature instead of IAM. Its delivery id is the task id, so a
    // redelivery (senders retry when the answer is slow or lost) is queued again but runs once.
    let delivery;
    try {
      delivery = verify(event, deps.sender, deps.signingSecret, { nowSeconds: now(), header: deps.signatureHeader });
    } catch (err) {
      if (!(err instanceof Rejected)) throw err;
      log('warn', 'webhook rejected', { sender: deps.sender, status: err.status, reason: err.message });
      return respond(err.status, { error: err.message });
    }
    if (delivery.challenge !== undefined) return respond(200, acknowledgement(delivery)); // url_verification: no task
    try {
      payload = await deps.validateTask(delivery.payload);
      taskId = String(delivery.id);
    } catch (err) {
      if (err instanceof BadRequest) return respond(400, { error: err.message });
      throw err;
    }
    const task: Item = { taskId, submittedAt: now(), payload };
    if (delivery.responseUrl) task.responseUrl = delivery.responseUrl; // a slash command: the worker answers there
{{else}}
    try {
      payload = await deps.validateTask(parseBody(event));
      taskId = taskIdFor(event.headers, deps.newId);
    } catch (err) {
      if (err instanceof BadRequest) return respond(400, { error: err.message });
      throw err;
    }
    const task: Item = { taskId, submittedAt: now(), payload };
{{/if}}

    const body = JSON.stringify(task);
    if (Buffer.byteLength(body, 'utf8') > MAX_MESSAGE_BYTES) {
      return respond(413, { error: 'task is larger than 1 MiB; upload it to S3 and queue its key' });
    }
    await deps.queue.send(body);
    log('info', 'task queued', { taskId });
{{#if webhook}}
    return respond(200, { ...acknowledgement(delivery), taskId });
{{else}}
    return respond(202, { taskId, status: 'queued' });
{{/if}}
  };
}
