/**
 * Child mechanics of {{patternName}}: process one chunk of a batch.
 *
 * Each SQS message is one chunk: {"batchId", "chunkIndex", "items"}. SQS delivers at least once, so:
 *   1. a chunk whose result is already stored is not processed again;
 *   2. the result is written with a conditional put (attribute_not_exists), so a racing duplicate cannot
 *      overwrite it;
 *   3. the chunk is counted with one atomic update that adds its index to the batch's `doneChunks` set and
 *      increments `completedChunks` only if the index was not there yet: a duplicate never counts twice.
 * The child whose update brings completedChunks to totalChunks invokes the aggregator (InvocationType Event).
 * A failed chunk is reported in batchItemFailures; after maxReceiveCount it moves to the dead-letter queue.
 */
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';

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
  get(key: Item): Promise<Item | undefined>;
  put(item: Item, condition: Condition): Promise<void>;
  /** UpdateItem; returns the item after the update (ReturnValues ALL_NEW). */
  update(key: Item, update: Update): Promise<Item>;
}

/** Invokes the aggregator with InvocationType "Event". */
export interface Aggregator {
  invokeAsync(payload: string): Promise<void>;
}

/** Processes one item and returns its JSON-serialisable result; throw to retry the whole chunk. */
export type ProcessItem = (batchId: string, item: unknown) => Promise<unknown>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

export interface ChildDeps {
  table: BatchTable;
  aggregator: Aggregator;
  processItem: ProcessItem;
  keepSeconds: number;
  /** Epoch seconds. */
  now?: () => number;
  log?: Log;
}

export interface ChunkMessage {
  batchId: string;
  chunkIndex: number;
  items: unknown[];
}

export function isConditionalCheckFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'ConditionalCheckFailedException';
}

/** The sort key of a chunk's result: CHUNK#00042, so a query returns chunks in order. */
export function chunkKey(index: number): string {
  return `CHUNK#${String(index).padStart(5, '0')}`;
}

export function makeHandler(deps: ChildDeps) {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const log = deps.log ?? jsonLog;
  const { table } = deps;

  async function storeResult(key: Item, results: unknown[]): Promise<void> {
    const at = now();
    try {
      await table.put({ ...key, results: JSON.stringify(results), storedAt: at, expiresAt: at + deps.keepSeconds }, {
        ConditionExpression: 'attribute_not_exists(sk)',
      });
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
      log('info', 'a duplicate stored this chunk first', key);
    }
  }

  /** Counts the chunk once; the child that completes the batch starts the aggregator. */
  async function countChunk(batchId: string, index: number): Promise<void> {
    let batch: Item;
    try {
      batch = await table.update({ batchId, sk: 'BATCH' }, {
        UpdateExpression: 'ADD completedChunks :one, doneChunks :index',
        ConditionExpression: 'attribute_exists(batchId) AND NOT contains(doneChunks, :i)',
        ExpressionAttributeValues: { ':one': 1, ':index': new Set([index]), ':i': index },
      });
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
      log('info', 'chunk already counted', { batchId, chunkIndex: index });
      return;
    }
    if (Number(batch.completedChunks) >= Number(batch.totalChunks)) {
      log('info', 'last chunk done; starting the aggregator', { batchId });
      await deps.aggregator.invokeAsync(JSON.stringify({ batchId }));
    }
  }

  async function handleChunk(message: ChunkMessage): Promise<void> {
    const { batchId } = message;
    const index = Number(message.chunkIndex);
    const key = { batchId, sk: chunkKey(index) };
    if ((await table.get(key)) !== undefined) {
      log('info', 'chunk already processed', { batchId, chunkIndex: index });
    } else {
      const results: unknown[] = [];
      for (const item of message.items) results.push(await deps.processItem(batchId, item));
      await storeResult(key, results);
    }
    await countChunk(batchId, index);
  }

  return async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
    const batchItemFailures: SQSBatchItemFailure[] = [];
    for (const record of event.Records ?? []) {
      try {
        await handleChunk(JSON.parse(record.body) as ChunkMessage);
      } catch (err) {
        log('error', 'chunk failed', { messageId: record.messageId, error: String(err) });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
