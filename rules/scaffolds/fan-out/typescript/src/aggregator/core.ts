/**
 * Aggregator mechanics of {{patternName}}: combine the chunk results of a finished batch, once.
 *
 * Invoked asynchronously by the child that completed the batch (Lambda retries it twice, then sends the
 * event to FailedAggregationsQueue). Two children can race to that moment and the async queue can deliver
 * twice, so the batch is claimed with a conditional update that also checks completedChunks = totalChunks:
 * only one invocation combines, and never before every chunk is counted.
{{#if senderSlackCommand}}
 * A slash command's batch carries its response_url: the result is posted there when the batch completes.
{{/if}}
 */
{{#if senderSlackCommand}}
import { postLateAnswer, type PostJson } from './webhook-auth';

{{/if}}
export type Item = Record<string, unknown>;

export interface Update {
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

/** DynamoDB DocumentClient calls on the batches table (key: batchId + sk), see app.ts. */
export interface BatchTable {
  get(key: Item): Promise<Item | undefined>;
  update(key: Item, update: Update): Promise<void>;
  /** Every CHUNK# item of the batch in sort-key (chunk) order, all pages. */
  chunks(batchId: string): Promise<Item[]>;
}

/** Combines the per-chunk result lists (in chunk order) into the batch result. */
export type Combine = (batchId: string, chunkResults: unknown[][]) => Promise<unknown>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

export interface AggregatorDeps {
  table: BatchTable;
  combine: Combine;
{{#if senderSlackCommand}}
  /** Posts a slash command's late answer (fetch in app.ts, a fake in the tests). */
  post?: PostJson;
{{/if}}
  /** Epoch seconds. */
  now?: () => number;
  log?: Log;
}

export type AggregatorResult = { batchId: string; status: 'COMPLETE' } | { batchId: string; skipped: true };

export function isConditionalCheckFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'ConditionalCheckFailedException';
}

export function makeHandler(deps: AggregatorDeps) {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const log = deps.log ?? jsonLog;
  const { table } = deps;

  async function claim(batchId: string): Promise<boolean> {
    try {
      await table.update({ batchId, sk: 'BATCH' }, {
        UpdateExpression: 'SET #status = :aggregating',
        ConditionExpression: '#status IN (:submitting, :running) AND completedChunks = totalChunks',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':aggregating': 'AGGREGATING', ':submitting': 'SUBMITTING', ':running': 'RUNNING' },
      });
      return true;
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
    }
    const batch = await table.get({ batchId, sk: 'BATCH' });
    log('info', 'aggregation skipped', { batchId, status: batch?.status ?? 'MISSING' });
    return false;
  }

{{#if senderSlackCommand}}
  /** A slash command's late answer: the batch result, posted to the command's response_url. */
  async function announce(batchId: string, result: unknown): Promise<boolean> {
    const url = (await table.get({ batchId, sk: 'BATCH' }))?.responseUrl;
    if (typeof url !== 'string' || !deps.post) return false;
    const text = `Batch ${batchId} complete: ${JSON.stringify(result ?? null).slice(0, 2900)}`;
    try {
      await postLateAnswer(deps.post, url, { response_type: 'ephemeral', text });
      return true;
    } catch (err) {
      // the result is stored; a late answer that fails (response_url expires after 30 minutes) is logged
      log('warn', 'late answer not posted', { batchId, error: String(err) });
      return false;
    }
  }

{{/if}}
  return async function handler(event: { batchId: string }): Promise<AggregatorResult> {
    const { batchId } = event;
    if (!(await claim(batchId))) return { batchId, skipped: true };
    let result: unknown;
    let chunkCount = 0;
    try {
      const chunkResults = (await table.chunks(batchId)).map((item) => JSON.parse(String(item.results)) as unknown[]);
      chunkCount = chunkResults.length;
      result = await deps.combine(batchId, chunkResults);
    } catch (err) {
      // Release the claim so Lambda's retry can take it again.
      await table.update({ batchId, sk: 'BATCH' }, {
        UpdateExpression: 'SET #status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':running': 'RUNNING' },
      });
      throw err;
    }
    await table.update({ batchId, sk: 'BATCH' }, {
      UpdateExpression: 'SET #status = :complete, #result = :result, finishedAt = :now',
      ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
      ExpressionAttributeValues: { ':complete': 'COMPLETE', ':result': JSON.stringify(result ?? null), ':now': now() },
    });
    log('info', 'batch complete', { batchId, chunks: chunkCount });
{{#if senderSlackCommand}}
    await announce(batchId, result);
{{/if}}
    return { batchId, status: 'COMPLETE' };
  };
}
