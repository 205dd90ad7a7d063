import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadItem, ItemInProgress, makeHandler, type Item } from '../src/item/core';
import { FakeDynamoDB } from './fake-dynamodb';

const BATCH = 'incoming-bucket/incoming/orders.csv@etag1';

function setup() {
  const db = new FakeDynamoDB({ items: ['pk'] });
  const clock = { now: 1_800_000_000 };
  const runs: Item[] = [];
  const logs: { level: string; message: string }[] = [];
  const handler = makeHandler({
    db,
    tableName: 'items',
    leaseSeconds: 300,
    keepSeconds: 2_592_000,
    processItem: async (item) => {
      runs.push(item);
      if (!item.id) throw new BadItem('the row has no id');
      return { id: item.id, fields: Object.keys(item).length };
    },
    clock: () => clock.now,
    log: (level, message) => void logs.push({ level, message }),
  });
  const row = (pk: string) => db.items('items').find((i) => i.pk.S === pk);
  return { db, clock, runs, logs, handler, row };
}

const ctx = (id = 'req-1') => ({ awsRequestId: id });

test('processes an item and records the result', async () => {
  const { handler, row } = setup();

  const result = await handler({ batchId: BATCH, index: 0, item: { id: 'o-1', total: '12.50' } }, ctx());

  assert.deepEqual(result, { itemId: 'o-1', status: 'DONE', duplicate: false, result: { id: 'o-1', fields: 2 } });
  const stored = row(`${BATCH}#o-1`)!;
  assert.equal(stored.status.S, 'DONE');
  assert.deepEqual(JSON.parse(stored.result.S!), { id: 'o-1', fields: 2 });
  assert.equal(stored.leaseUntil, undefined);
  assert.equal(stored.expiresAt.N, String(1_800_000_000 + 2_592_000));
});

test('a second delivery returns the stored result without running the work', async () => {
  const { handler, runs } = setup();
  const first = await handler({ batchId: BATCH, index: 0, item: { id: 'o-1' } }, ctx());

  const again = await handler({ batchId: BATCH, index: 0, item: { id: 'o-1' } }, ctx('another-request'));

  assert.equal(runs.length, 1, 'the work ran once');
  assert.equal(again.duplicate, true);
  assert.deepEqual(again.result, first.result);
});

test('the same item in another batch is processed again', async () => {
  const { handler, runs } = setup();
  await handler({ batchId: BATCH, index: 0, item: { id: 'o-1' } }, ctx());
  await handler({ batchId: 'incoming-bucket/incoming/orders.csv@etag2', index: 0, item: { id: 'o-1' } }, ctx());

  assert.equal(runs.length, 2);
});

test('an item claimed by a live delivery is retried later, not run twice', async () => {
  const { handler, db, runs, row } = setup();
  db.seed('items', { pk: { S: 'b#o-1' }, status: { S: 'IN_PROGRESS' }, owner: { S: 'other' }, leaseUntil: { N: String(1_800_000_200) } });

  await assert.rejects(handler({ batchId: 'b', index: 0, item: { id: 'o-1' } }, ctx()), ItemInProgress);

  assert.equal(runs.length, 0);
  assert.equal(row('b#o-1')!.owner.S, 'other');
});

test('an expired claim is taken over', async () => {
  const { handler, db, runs, row } = setup();
  db.seed('items', { pk: { S: 'b#o-1' }, status: { S: 'IN_PROGRESS' }, owner: { S: 'crashed' }, leaseUntil: { N: String(1_799_999_999) } });

  const result = await handler({ batchId: 'b', index: 0, item: { id: 'o-1' } }, ctx('req-2'));

  assert.equal(result.status, 'DONE');
  assert.equal(runs.length, 1);
  assert.equal(row('b#o-1')!.owner.S, 'req-2');
});

test('a failed item gives its claim back and fails the child', async () => {
  const { handler, row, logs } = setup();

  await assert.rejects(handler({ batchId: 'b', index: 7, item: { total: '3' } }, ctx()), BadItem);

  assert.equal(row('b#row-7'), undefined, 'the claim is released so a retry can take it');
  assert.ok(logs.some((l) => l.level === 'ERROR' && l.message === 'item failed'));
});

test('a late owner cannot overwrite the result of the one that took over', async () => {
  const { handler, db, row } = setup();
  assert.equal(await handler.claim('b#o-1', 'slow'), true);
  await db.updateItem({
    TableName: 'items', Key: { pk: { S: 'b#o-1' } }, UpdateExpression: 'SET #o = :o',
    ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':o': { S: 'took-over' } },
  });

  await assert.rejects(handler.complete('b#o-1', 'slow', { late: true }), { name: 'ConditionalCheckFailedException' });

  assert.equal(row('b#o-1')!.status.S, 'IN_PROGRESS');
});

test('an event without a batch id or an item object is refused', async () => {
  const { handler } = setup();

  await assert.rejects(handler({ item: { id: 'x' } }, ctx()), BadItem);
  await assert.rejects(handler({ batchId: 'b', item: 'not an object' }, ctx()), BadItem);
});
