/**
 * The item handler's mechanics for {{patternName}}: one claim per (batch, item), free of the AWS SDK so tests can
 * drive it with a fake table.
 *
 * Express children run at least once, Step Functions retries the task and a redriven Map Run re-runs unfinished
 * children, so each item is claimed once per batch: a conditional put of `{batchId}#{itemId}` (no claim yet, or
 * the last claimer's lease ran out); a DONE claim returns the stored result without running the work again; a
 * live claim throws ItemInProgress, which the state machine retries later; the result is recorded only by the
 * claim's owner; a failed item gives its claim back and fails the child (it counts against the Map state's
 * ToleratedFailurePercentage and is listed in the FAILED results in S3).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, unknown>;

/** The DynamoDB calls the handler makes (the SDK client's commands, or a fake in tests). */
export interface Db {
  putItem(input: any): Promise<unknown>;
  getItem(input: any): Promise<{ Item?: Record<string, AttributeValue> }>;
  updateItem(input: any): Promise<unknown>;
  deleteItem(input: any): Promise<unknown>;
}

export type Log = (level: 'INFO' | 'WARN' | 'ERROR', message: string, fields?: Record<string, unknown>) => void;

export interface Deps {
  db: Db;
  tableName: string;
  leaseSeconds: number;
  keepSeconds: number;
  processItem: (item: Item) => Promise<unknown>;
  clock?: () => number;
  log?: Log;
}

export interface ItemEvent {
  batchId?: string;
  index?: number;
  item?: unknown;
}

export interface ItemResult {
  itemId: string;
  status: 'DONE';
  duplicate: boolean;
  result: unknown;
}

/** The item itself is wrong: retrying will not help; the child fails and the item is listed as FAILED. */
export class BadItem extends Error {
  override name = 'BadItem';
}

/** Another delivery holds a live claim; the state machine's Retry (ErrorEquals "ItemInProgress") tries again. */
export class ItemInProgress extends Error {
  override name = 'ItemInProgress';
}

const jsonLog: Log = (level, message, fields = {}) => {
  console.log(JSON.stringify({ level, message, ...fields }));
};

function isConditionalCheckFailed(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

export function makeHandler(deps: Deps) {
  const clock = deps.clock ?? (() => Date.now() / 1000);
  const log = deps.log ?? jsonLog;
  const { db, tableName: TableName } = deps;

  async function claim(pk: string, owner: string): Promise<boolean> {
    const now = Math.floor(clock());
    try {
      await db.putItem({
        TableName,
        Item: {
          pk: { S: pk },
          status: { S: 'IN_PROGRESS' },
          owner: { S: owner },
          leaseUntil: { N: String(now + deps.leaseSeconds) },
          expiresAt: { N: String(now + deps.keepSeconds) },
        },
        ConditionExpression: 'attribute_not_exists(pk) OR (#s = :in_progress AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':in_progress': { S: 'IN_PROGRESS' }, ':now': { N: String(now) } },
      });
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  async function complete(pk: string, owner: string, result: unknown): Promise<void> {
    await db.updateItem({
      TableName,
      Key: { pk: { S: pk } },
      UpdateExpression: 'SET #s = :done, #r = :result, completedAt = :now REMOVE leaseUntil',
      ConditionExpression: '#s = :in_progress AND #o = :owner',
      ExpressionAttributeNames: { '#s': 'status', '#r': 'result', '#o': 'owner' },
      ExpressionAttributeValues: {
        ':done': { S: 'DONE' },
        ':in_progress': { S: 'IN_PROGRESS' },
        ':owner': { S: owner },
        ':result': { S: JSON.stringify(result ?? null) },
        ':now': { N: String(Math.floor(clock())) },
      },
    });
  }

  async function release(pk: string, owner: string): Promise<void> {
    try {
      await db.deleteItem({
        TableName,
        Key: { pk: { S: pk } },
        ConditionExpression: '#s = :in_progress AND #o = :owner',
        ExpressionAttributeNames: { '#s': 'status', '#o': 'owner' },
        ExpressionAttributeValues: { ':in_progress': { S: 'IN_PROGRESS' }, ':owner': { S: owner } },
      });
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  const handler = async (event: ItemEvent, context: { awsRequestId: string }): Promise<ItemResult> => {
    const { batchId, index, item } = event;
    if (!batchId || item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new BadItem('the event needs batchId and item (an object)');
    }
    const row = item as Item;
    const itemId = String(row.id || row.Key || `row-${index}`); // a row's id, or a listed object's key
    const pk = `${batchId}#${itemId}`;
    const fields = { batchId, itemId, index };
    const owner = context.awsRequestId;

    if (!(await claim(pk, owner))) {
      const stored = (await db.getItem({ TableName, Key: { pk: { S: pk } }, ConsistentRead: true })).Item;
      if (stored?.status?.S === 'DONE') {
        log('INFO', 'item already processed; returning the stored result', fields);
        return { itemId, status: 'DONE', duplicate: true, result: JSON.parse(stored.result?.S ?? 'null') };
      }
      log('INFO', 'item claimed by another delivery', fields);
      throw new ItemInProgress(itemId);
    }

    const started = clock();
    let result: unknown;
    try {
      result = await deps.processItem(row);
    } catch (err) {
      await release(pk, owner);
      log('ERROR', 'item failed', { ...fields, error: String(err) });
      throw err;
    }
    await complete(pk, owner, result);
    log('INFO', 'item processed', { ...fields, seconds: clock() - started });
    return { itemId, status: 'DONE', duplicate: false, result };
  };

  return Object.assign(handler, { claim, complete, release });
}
