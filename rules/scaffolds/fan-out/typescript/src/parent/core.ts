/**
 * Parent mechanics of {{patternName}}: split a batch into chunks and fan them out through SQS.
 *
{{#if triggerEvent}}
 * The EventBridge rule invokes it for each object created in the uploads bucket ("Object Created"). The object
 * is the batch ({"items": [...]} or a JSON array); the object's identity (bucket, key, sequencer) names the
 * batch, so a redelivered event finds it and fans out nothing new. Failures are retried by Lambda, then land in
 * FailedStartsQueue.
{{/if}}
{{#if triggerSchedule}}
 * The schedule invokes it once per run with {scheduledTime, executionId}. listRunItems gives the run's items;
 * the scheduled time names the batch, so Scheduler's retry of a run finds it and fans out nothing new.
{{/if}}
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#if webhook}}
 *   POST /webhook                   the sender ({{sender}}) signs every request; webhook-auth.ts checks it on the raw
 *                                   body (401 when missing, wrong or stale). The delivery's items (itemsOf) are
 *                                   fanned out; the delivery id names the batch, so a redelivery fans out nothing
 *                                   new. Answers 200 at once (Slack's challenge; a slash command's receipt, the
 *                                   aggregator posts the result to response_url).
{{else}}
 *   POST /batches {"items": [...]}  records the batch, sends one message per chunk of chunkSize items and
 *                                   answers 202 with the batch id. Children process the chunks in parallel.
{{/if}}
 *   GET  /batches/{batchId}         status (SUBMITTING, RUNNING, AGGREGATING, COMPLETE), progress, result.
 *
 * A batch is SUBMITTING until every chunk is on the queue: a client that retries after an error (same
 * `Idempotency-Key`) re-sends all chunks, which is safe because children record each chunk once.
{{/unless}}
{{/unless}}
 */
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
{{/unless}}
{{/unless}}
{{#if webhook}}
import { acknowledgement, Rejected, verify, type Delivery, type Sender } from './webhook-auth';
{{/if}}

export type Item = Record<string, unknown>;

export interface Condition {
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

export interface Update extends Partial<Condition> {
  UpdateExpression: string;
}

/** DynamoDB DocumentClient calls on the batches table (key: batchId + sk), see app.ts. */
export interface BatchTable {
  put(item: Item, condition: Condition): Promise<void>;
  get(key: Item): Promise<Item | undefined>;
  update(key: Item, update: Update): Promise<void>;
}

export interface QueueEntry {
  Id: string;
  MessageBody: string;
}

/** SendMessageBatch (at most 10 entries); returns the Ids SQS refused. */
export interface ChunkQueue {
  sendBatch(entries: QueueEntry[]): Promise<string[]>;
}

/** Checks or transforms the items before they are split; throw BadRequest to answer 400. */
export type PrepareItems = (items: unknown[]) => unknown[] | Promise<unknown[]>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

export class BadRequest extends Error {
  override name = 'BadRequest';
  readonly status: number;

  constructor(message: string, status = 400) {
    super(message);
    this.status = status;
  }
}

/** SQS's limit per message. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

{{#if triggerEvent}}
/** The part of an EventBridge "Object Created" event of S3 the parent reads. */
export interface ObjectCreated {
  id: string;
  detail: { bucket: { name: string }; object: { key: string; sequencer?: string } };
}

{{/if}}
{{#if triggerSchedule}}
/** What the schedule sends (its Input): the scheduled time stays the same on every retry of a run. */
export interface ScheduledRun {
  scheduledTime: string;
  executionId?: string;
}

{{/if}}
export interface ParentDeps {
  table: BatchTable;
  queue: ChunkQueue;
  prepareItems: PrepareItems;
{{#if triggerEvent}}
  /** S3 GetObject's body as text (app.ts), a fake in the tests. */
  readObject: (bucket: string, key: string) => Promise<string>;
{{/if}}
{{#if triggerSchedule}}
  /** The items of the run scheduled at `scheduledTime` (app.ts: your code). */
  listRunItems: (scheduledTime: string) => unknown[] | Promise<unknown[]>;
{{/if}}
{{#if webhook}}
  /** The webhook sender ({{sender}}) and its signing secret: every request's signature is checked. */
  sender: Sender;
  signingSecret: string;
  /** generic only: the header that carries HMAC-SHA256(secret, body) in hex. */
  signatureHeader?: string;
{{/if}}
  chunkSize: number;
  maxItems: number;
  keepSeconds: number;
  newId: () => string;
  /** Epoch seconds. */
  now?: () => number;
  log?: Log;
}

/** Consecutive slices of at most `size` items; the last one may be shorter. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('chunk size must be a whole number >= 1');
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

export function isConditionalCheckFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'ConditionalCheckFailedException';
}

{{#unless triggerEvent}}
{{#unless triggerSchedule}}
function respond(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}
{{/unless}}
{{/unless}}
{{#if triggerEvent}}

/** A batch file: {"items": [...]} or a JSON array of items. */
export function parseDocument(raw: string): unknown[] {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new BadRequest('the object is not valid JSON');
  }
  const items = Array.isArray(body) ? body : (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items) || items.length === 0) throw new BadRequest('the object must be {"items": [...]} or a JSON array, with at least one item');
  return items;
}
{{/if}}
{{#if webhook}}

/** The items one delivery fans out: its "items" list, else the delivery itself as one item. */
export function itemsOf(payload: Record<string, unknown>): unknown[] {
  // Map a sender's payload to items here (a GitHub push's commits, a Stripe invoice's lines).
  const items = payload.items;
  return Array.isArray(items) && items.length > 0 ? items : [payload];
}
{{/if}}

function summary(item: Item): Item {
  const body: Item = {
    batchId: item.batchId,
    status: item.status,
    totalItems: Number(item.totalItems),
    totalChunks: Number(item.totalChunks),
    completedChunks: Number(item.completedChunks ?? 0),
  };
  if (typeof item.result === 'string') body.result = JSON.parse(item.result);
  return body;
}

export function makeHandler(deps: ParentDeps) {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const log = deps.log ?? jsonLog;
  const { table } = deps;

{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#unless webhook}}
  function parseItems(event: APIGatewayProxyEvent): unknown[] {
    let raw = event.body ?? '{}';
    if (event.isBase64Encoded) raw = Buffer.from(raw, 'base64').toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new BadRequest('body is not valid JSON');
    }
    const items = (body as { items?: unknown } | null)?.items;
    if (!Array.isArray(items) || items.length === 0) throw new BadRequest('body must be {"items": [...]} with at least one item');
    if (items.length > deps.maxItems) throw new BadRequest(`at most ${deps.maxItems} items per batch; split it or raise MAX_ITEMS`, 413);
    return items;
  }

  function batchIdFor(headers: Record<string, string | undefined> | null | undefined): string {
    const key = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];
    if (key === undefined) return deps.newId();
    if (!IDEMPOTENCY_KEY.test(key)) throw new BadRequest('Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 _ . : -');
    return key;
  }
{{/unless}}
{{/unless}}
{{/unless}}

  /** Records a new batch (SUBMITTING). Returns the existing batch when it is past submission. */
  async function startBatch(batchId: string, totalItems: number, totalChunks: number, extra: Item = {}): Promise<Item | undefined> {
    const at = now();
    try {
      await table.put(
        { batchId, sk: 'BATCH', status: 'SUBMITTING', totalItems, totalChunks, completedChunks: 0, createdAt: at, expiresAt: at + deps.keepSeconds, ...extra },
        {
          // A new batch, or one whose submission failed half-way (re-send every chunk).
          ConditionExpression: 'attribute_not_exists(batchId) OR #status = :submitting',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':submitting': 'SUBMITTING' },
        },
      );
      return undefined;
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
    }
    return table.get({ batchId, sk: 'BATCH' });
  }

  /** 10 messages per call; entries SQS refused are retried once, then it is an error. */
  async function sendChunks(bodies: string[]): Promise<void> {
    for (let start = 0; start < bodies.length; start += 10) {
      let entries = bodies.slice(start, start + 10).map((MessageBody, i) => ({ Id: String(start + i), MessageBody }));
      for (let attempt = 1; ; attempt++) {
        const refused = new Set(await deps.queue.sendBatch(entries));
        if (refused.size === 0) break;
        entries = entries.filter((e) => refused.has(e.Id));
        if (attempt === 2) throw new Error(`SQS refused ${entries.length} chunk messages`);
      }
    }
  }

  async function markRunning(batchId: string): Promise<void> {
    try {
      await table.update(
        { batchId, sk: 'BATCH' },
        {
          UpdateExpression: 'SET #status = :running',
          ConditionExpression: '#status = :submitting',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':running': 'RUNNING', ':submitting': 'SUBMITTING' },
        },
      );
    } catch (err) {
      // Small batches can finish before this update: the aggregator has moved the status on already.
      if (!isConditionalCheckFailure(err)) throw err;
    }
  }

  /** Records the batch and sends its chunks, once: a batch already past submission is returned as it is. */
  async function fanOut(batchId: string, items: unknown[], extra: Item = {}): Promise<Item> {
    if (items.length > deps.maxItems) throw new BadRequest(`at most ${deps.maxItems} items per batch; split it or raise MAX_ITEMS`, 413);
    const bodies = chunk(items, deps.chunkSize).map((c, chunkIndex) => JSON.stringify({ batchId, chunkIndex, items: c }));
    if (bodies.some((b) => Buffer.byteLength(b, 'utf8') > MAX_MESSAGE_BYTES)) {
      throw new BadRequest('a chunk is larger than an SQS message (1 MiB): lower CHUNK_SIZE or pass S3 keys', 413);
    }
    const existing = await startBatch(batchId, items.length, bodies.length, extra);
    if (existing !== undefined) {
      log('info', 'batch already submitted', { batchId, status: existing.status });
      return summary(existing);
    }
    await sendChunks(bodies);
    await markRunning(batchId);
    log('info', 'batch fanned out', { batchId, items: items.length, chunks: bodies.length });
    return { batchId, status: 'RUNNING', totalItems: items.length, totalChunks: bodies.length };
  }

{{#if triggerEvent}}
  /** An EventBridge "Object Created" event: the object is the batch, its identity the batch id. */
  return async function handler(event: ObjectCreated): Promise<Item> {
    const { bucket, object } = event.detail;
    const batchId = `s3://${bucket.name}/${object.key}#${object.sequencer ?? event.id}`;
    // a BadRequest fails the invocation: Lambda retries it, then FailedStartsQueue holds the event
    const items = await deps.prepareItems(parseDocument(await deps.readObject(bucket.name, object.key)));
    return fanOut(batchId, items, { source: `s3://${bucket.name}/${object.key}` });
  };
{{/if}}
{{#if triggerSchedule}}
  /** A scheduled run: the scheduled time names the run's batch. */
  return async function handler(event: ScheduledRun): Promise<Item> {
    const items = await deps.prepareItems(await deps.listRunItems(event.scheduledTime));
    return fanOut(`run-${event.scheduledTime}`, items, { scheduledTime: event.scheduledTime });
  };
{{/if}}
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
  return async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    if (event.httpMethod === 'GET') {
      const batchId = event.pathParameters?.batchId ?? '';
      const item = batchId ? await table.get({ batchId, sk: 'BATCH' }) : undefined;
      return item ? respond(200, summary(item)) : respond(404, { error: `no batch '${batchId}'` });
    }
{{#if webhook}}
    let delivery: Delivery;
    try {
      delivery = verify(event, deps.sender, deps.signingSecret, { nowSeconds: now(), header: deps.signatureHeader });
    } catch (err) {
      if (!(err instanceof Rejected)) throw err;
      log('warn', 'webhook rejected', { sender: deps.sender, status: err.status, reason: err.message });
      return respond(err.status, { error: err.message });
    }
    if (delivery.challenge !== undefined) return respond(200, acknowledgement(delivery)); // url_verification: no batch
    const extra: Item = { deliveryId: delivery.id };
    if (delivery.responseUrl) extra.responseUrl = delivery.responseUrl; // a slash command: the aggregator answers there
    try {
      // the sender's delivery id names the batch: a redelivery is the same batch
      const outcome = await fanOut(String(delivery.id), await deps.prepareItems(itemsOf(delivery.payload)), extra);
      return respond(200, { ...acknowledgement(delivery), batchId: outcome.batchId });
    } catch (err) {
      if (err instanceof BadRequest) return respond(err.status, { error: err.message });
      throw err;
    }
{{else}}
    try {
      const items = await deps.prepareItems(parseItems(event));
      return respond(202, await fanOut(batchIdFor(event.headers), items));
    } catch (err) {
      if (err instanceof BadRequest) return respond(err.status, { error: err.message });
      throw err;
    }
{{/if}}
  };
{{/unless}}
{{/unless}}
}
