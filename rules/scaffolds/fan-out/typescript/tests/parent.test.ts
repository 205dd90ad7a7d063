import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { chunk, makeHandler, type BatchTable, type Condition, type Item, type QueueEntry, type Update } from '../src/parent/core';
import { FakeDocumentTable } from './fake-dynamodb';

/** The batches table (key batchId + sk): the shared fake evaluates the conditions core.ts sends, as DynamoDB would. */
class FakeTable implements BatchTable {
  readonly table = new FakeDocumentTable('batches', ['batchId', 'sk']);
  /** The stored items by "batchId|sk", as the tests seed and read them. */
  readonly items = this.table.byKey;

  async put(item: Item, condition: Condition): Promise<void> {
    await this.table.put({ Item: item, ...condition });
  }

  async get(key: Item): Promise<Item | undefined> {
    return this.table.get({ Key: key });
  }

  async update(key: Item, update: Update): Promise<void> {
    await this.table.update({ Key: key, ...update });
  }
}

function setup(refuse: (entry: QueueEntry, call: number) => boolean = () => false) {
  const table = new FakeTable();
  const sent: Item[] = [];
  let calls = 0;
  const handler = makeHandler({
    table,
    queue: {
      sendBatch: async (entries) => {
        calls += 1;
        assert.ok(entries.length <= 10, 'SendMessageBatch takes at most 10 entries');
        const refused = entries.filter((e) => refuse(e, calls));
        for (const e of entries) if (!refused.includes(e)) sent.push(JSON.parse(e.MessageBody));
        return refused.map((e) => e.Id);
      },
    },
    prepareItems: (items) => items,
    chunkSize: 10,
    maxItems: 100,
    keepSeconds: 3600,
    newId: () => 'generated-id',
    now: () => 1_000,
    log: () => {},
  });
  const submit = async (items: unknown[], key = 'batch-1') => {
    const event = { httpMethod: 'POST', headers: { 'Idempotency-Key': key }, body: JSON.stringify({ items }), isBase64Encoded: false };
    const result = await handler(event as unknown as APIGatewayProxyEvent);
    return { status: result.statusCode, body: JSON.parse(result.body) as Item };
  };
  return { table, sent, submit, handler };
}

test('chunking math: sizes, order, nothing lost or repeated', () => {
  const cases: [number, number, number[]][] = [[25, 10, [10, 10, 5]], [20, 10, [10, 10]], [1, 10, [1]], [0, 10, []], [7, 1, [1, 1, 1, 1, 1, 1, 1]]];
  for (const [count, size, sizes] of cases) {
    const items = Array.from({ length: count }, (_, i) => i);
    const chunks = chunk(items, size);
    assert.deepEqual(chunks.map((c) => c.length), sizes);
    assert.deepEqual(chunks.flat(), items);
  }
  assert.throws(() => chunk([1], 0), RangeError);
});

test('fans out one message per chunk and answers 202', async () => {
  const { table, sent, submit } = setup();
  const items = Array.from({ length: 25 }, (_, n) => `item-${n}`);

  const { status, body } = await submit(items);

  assert.equal(status, 202);
  assert.deepEqual(body, { batchId: 'batch-1', status: 'RUNNING', totalItems: 25, totalChunks: 3 });
  assert.deepEqual(sent.map((m) => m.chunkIndex), [0, 1, 2]);
  assert.deepEqual(sent.map((m) => m.items), [items.slice(0, 10), items.slice(10, 20), items.slice(20)]);
  assert.equal(table.items.get('batch-1|BATCH')?.status, 'RUNNING');
});

test('every chunk goes out, at most 10 per SendMessageBatch call', async () => {
  const { sent, submit } = setup();

  await submit(Array.from({ length: 100 }, (_, n) => n)); // 10 chunks of 10

  assert.equal(sent.length, 10);
});

test('a retried submission does not fan out twice', async () => {
  const { sent, submit } = setup();

  await submit(Array.from({ length: 25 }, (_, n) => n));
  const again = await submit(Array.from({ length: 25 }, (_, n) => n));

  assert.equal(again.status, 202);
  assert.equal(again.body.status, 'RUNNING');
  assert.equal(sent.length, 3);
});

test('a submission that failed half-way is sent again in full', async () => {
  const { table, sent, submit } = setup();
  table.items.set('batch-1|BATCH', { batchId: 'batch-1', sk: 'BATCH', status: 'SUBMITTING', totalItems: 25, totalChunks: 3 });

  await submit(Array.from({ length: 25 }, (_, n) => n));

  assert.deepEqual(sent.map((m) => m.chunkIndex), [0, 1, 2]);
});

test('entries SQS refuses are retried once', async () => {
  const { sent, submit } = setup((entry, call) => entry.Id === '1' && call === 1);

  assert.equal((await submit(Array.from({ length: 25 }, (_, n) => n))).status, 202);
  assert.deepEqual(sent.map((m) => m.chunkIndex).sort(), [0, 1, 2]);
});

test('empty and oversized batches are refused', async () => {
  const { sent, submit } = setup();

  assert.equal((await submit([])).status, 400);
  assert.equal((await submit(Array.from({ length: 101 }, (_, n) => n))).status, 413);
  assert.equal(sent.length, 0);
});

test('GET reports progress and the result', async () => {
  const { table, handler } = setup();
  table.items.set('b-9|BATCH', { batchId: 'b-9', sk: 'BATCH', status: 'COMPLETE', totalItems: 25, totalChunks: 3, completedChunks: 3, result: '{"items":25}' });

  const found = await handler({ httpMethod: 'GET', pathParameters: { batchId: 'b-9' } } as unknown as APIGatewayProxyEvent);
  const missing = await handler({ httpMethod: 'GET', pathParameters: { batchId: 'nope' } } as unknown as APIGatewayProxyEvent);

  assert.deepEqual(JSON.parse(found.body), { batchId: 'b-9', status: 'COMPLETE', totalItems: 25, totalChunks: 3, completedChunks: 3, result: { items: 25 } });
  assert.equal(missing.statusCode, 404);
});
