import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SQSEvent } from 'aws-lambda';
import { makeHandler, type BatchTable, type Condition, type Item, type Update } from '../src/child/core';

function conditionalCheckFailed(): Error {
  const err = new Error('The conditional request failed');
  err.name = 'ConditionalCheckFailedException';
  return err;
}

/** An in-memory batches table; conditions mirror the expressions core.ts sends. */
class FakeTable implements BatchTable {
  items = new Map<string, Item>([['b-1|BATCH', { batchId: 'b-1', sk: 'BATCH', status: 'RUNNING', totalChunks: 2, completedChunks: 0 }]]);

  async get(key: Item): Promise<Item | undefined> {
    return this.items.get(`${key.batchId}|${key.sk}`);
  }

  async put(item: Item, _condition: Condition): Promise<void> {
    const id = `${item.batchId}|${item.sk}`;
    if (this.items.has(id)) throw conditionalCheckFailed(); // attribute_not_exists(sk)
    this.items.set(id, { ...item });
  }

  async update(key: Item, update: Update): Promise<Item> {
    const batch = this.items.get(`${key.batchId}|${key.sk}`);
    const index = Number(update.ExpressionAttributeValues?.[':i']);
    const done = (batch?.doneChunks as Set<number> | undefined) ?? new Set<number>();
    if (!batch || done.has(index)) throw conditionalCheckFailed(); // attribute_exists AND NOT contains(doneChunks, :i)
    done.add(index);
    batch.doneChunks = done;
    batch.completedChunks = Number(batch.completedChunks) + 1;
    return { ...batch };
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
