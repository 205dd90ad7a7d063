import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SQSEvent } from 'aws-lambda';
import { makeHandler, type BatchTable, type Condition, type Item, type Update } from '../src/child/core';
import { FakeDocumentTable } from './fake-dynamodb';

/** The batches table (key batchId + sk): the shared fake evaluates the conditions core.ts sends, as DynamoDB would. */
class FakeTable implements BatchTable {
  readonly table = new FakeDocumentTable('batches', ['batchId', 'sk']);
  /** The stored items by key, as the tests seed and read them. */
  readonly items = this.table.byKey;

  constructor() {
    this.table.seed({ batchId: 'b-1', sk: 'BATCH', status: 'RUNNING', totalChunks: 2, completedChunks: 0 });
  }

  async get(key: Item): Promise<Item | undefined> {
    return this.table.get({ Key: key });
  }

  async put(item: Item, condition: Condition): Promise<void> {
    await this.table.put({ Item: item, ...condition });
  }

  async update(key: Item, update: Update): Promise<Item> {
    return this.table.update({ Key: key, ...update });
  }
}

function setup(processItem = async (_batchId: string, item: unknown): Promise<unknown> => ({ item })) {
  const table = new FakeTable();
  const invoked: Item[] = [];
  const processed: unknown[] = [];
  const handler = makeHandler({
    table,
    aggregator: { invokeAsync: async (payload) => void invoked.push(JSON.parse(payload)) },
    processItem: async (batchId, item) => {
      processed.push(item);
      return processItem(batchId, item);
    },
    keepSeconds: 3600,
    now: () => 1_000,
    log: () => {},
  });
  const deliver = (messageId: string, chunkIndex: number, items: unknown[]) =>
    handler({ Records: [{ messageId, body: JSON.stringify({ batchId: 'b-1', chunkIndex, items }) }] } as unknown as SQSEvent);
  const batch = () => table.items.get('b-1|BATCH');
  return { table, invoked, processed, deliver, batch };
}

test('stores the chunk result under its ordered key and counts it', async () => {
  const { table, invoked, deliver, batch } = setup();

  assert.deepEqual(await deliver('m1', 0, ['a', 'b']), { batchItemFailures: [] });

  assert.equal(table.items.get('b-1|CHUNK#00000')?.results, '[{"item":"a"},{"item":"b"}]');
  assert.equal(batch()?.completedChunks, 1);
  assert.deepEqual(invoked, [], 'not the last chunk: no aggregator yet');
});

test('a duplicate chunk is neither processed nor counted again', async () => {
  const { processed, deliver, batch } = setup();

  await deliver('m1', 0, ['a']);
  await deliver('m1-again', 0, ['a']);

  assert.deepEqual(processed, ['a']);
  assert.equal(batch()?.completedChunks, 1);
});

test('a concurrent duplicate keeps the first stored result', async () => {
  // Two deliveries of one chunk both find it unstored; the one that stores second must not overwrite it.
  const { table, deliver, batch } = setup(async (_batchId, item) => {
    table.items.set('b-1|CHUNK#00000', { batchId: 'b-1', sk: 'CHUNK#00000', results: '["first"]' });
    return { item, second: true };
  });

  assert.deepEqual(await deliver('m2', 0, ['a']), { batchItemFailures: [] });

  assert.equal(table.items.get('b-1|CHUNK#00000')?.results, '["first"]');
  assert.equal(batch()?.completedChunks, 1);
});

test('the last chunk starts the aggregator, once', async () => {
  const { invoked, deliver, batch } = setup();

  await deliver('m1', 0, ['a']);
  await deliver('m2', 1, ['b']);
  await deliver('m2-again', 1, ['b']);

  assert.equal(batch()?.completedChunks, 2);
  assert.deepEqual(invoked, [{ batchId: 'b-1' }]);
});

test('a stored but uncounted chunk is counted on redelivery without reprocessing', async () => {
  const { table, processed, deliver, batch } = setup();
  table.items.set('b-1|CHUNK#00000', { batchId: 'b-1', sk: 'CHUNK#00000', results: '[]' }); // died before counting

  await deliver('m1', 0, ['a']);

  assert.deepEqual(processed, []);
  assert.equal(batch()?.completedChunks, 1);
});

test('a failed chunk is reported and neither stored nor counted', async () => {
  const { table, deliver, batch } = setup(async () => {
    throw new Error('downstream unavailable');
  });

  assert.deepEqual(await deliver('m1', 0, ['a']), { batchItemFailures: [{ itemIdentifier: 'm1' }] });
  assert.equal(table.items.has('b-1|CHUNK#00000'), false);
  assert.equal(batch()?.completedChunks, 0);
});
