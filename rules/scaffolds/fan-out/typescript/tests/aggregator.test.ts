import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHandler, type BatchTable, type Combine, type Item, type Update } from '../src/aggregator/core';
import { FakeDocumentTable } from './fake-dynamodb';

/** The batches table (key batchId + sk): the shared fake evaluates the claim condition core.ts sends, as DynamoDB would. */
class FakeTable implements BatchTable {
  readonly table = new FakeDocumentTable('batches', ['batchId', 'sk']);

  constructor(completedChunks: number) {
    this.table.seed({ batchId: 'b-1', sk: 'BATCH', status: 'RUNNING', totalChunks: 3, completedChunks });
    [
      { sk: 'CHUNK#00000', results: '[{"item":"a","length":3},{"item":"b","length":3}]' },
      { sk: 'CHUNK#00001', results: '[{"item":"cc","length":4}]' },
      { sk: 'CHUNK#00002', results: '[{"item":"d","length":3}]' },
    ].slice(0, completedChunks).forEach((chunk) => this.table.seed({ batchId: 'b-1', ...chunk }));
  }

  /** The batch item as stored. */
  get batch(): Item {
    return this.table.items().find((item) => item.sk === 'BATCH') ?? {};
  }

  async get(key: Item): Promise<Item | undefined> {
    return this.table.get({ Key: key });
  }

  async update(key: Item, update: Update): Promise<void> {
    await this.table.update({ Key: key, ...update });
  }

  async chunks(batchId: string): Promise<Item[]> {
    return this.table.items()
      .filter((item) => item.batchId === batchId && String(item.sk).startsWith('CHUNK#'))
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
  }
}

function setup(completedChunks: number, combine: Combine = async (_id, chunks) => ({ items: chunks.flat().length })) {
  const table = new FakeTable(completedChunks);
  const seen: unknown[][][] = [];
  const handler = makeHandler({
    table,
    combine: async (batchId, chunks) => {
      seen.push(chunks);
      return combine(batchId, chunks);
    },
    now: () => 1_000,
    log: () => {},
  });
  return { table, seen, handler };
}

test('combines every chunk in order and completes the batch', async () => {
  const { table, seen, handler } = setup(3);

  assert.deepEqual(await handler({ batchId: 'b-1' }), { batchId: 'b-1', status: 'COMPLETE' });

  assert.deepEqual(seen[0].map((chunk) => (chunk as { item: string }[]).map((r) => r.item)), [['a', 'b'], ['cc'], ['d']]);
  assert.equal(table.batch.status, 'COMPLETE');
  assert.equal(table.batch.result, '{"items":4}');
});

test('a second invocation is skipped', async () => {
  const { seen, handler } = setup(3);

  await handler({ batchId: 'b-1' });
  assert.deepEqual(await handler({ batchId: 'b-1' }), { batchId: 'b-1', skipped: true });
  assert.equal(seen.length, 1);
});

test('an unfinished batch is not combined', async () => {
  const { table, seen, handler } = setup(2);

  assert.deepEqual(await handler({ batchId: 'b-1' }), { batchId: 'b-1', skipped: true });
  assert.equal(seen.length, 0);
  assert.equal(table.batch.status, 'RUNNING');
});

test('a failed combination releases the claim for the retry', async () => {
  const { table, handler } = setup(3, async () => {
    throw new Error('report bucket unavailable');
  });

  await assert.rejects(handler({ batchId: 'b-1' }), /report bucket unavailable/);
  assert.equal(table.batch.status, 'RUNNING');
});
{{#if senderSlackCommand}}

test("a slash command's batch result is posted to its response_url", async () => {
  const table = new FakeTable(3);
  const url = 'https://hooks.slack.com/commands/T1/1/abc';
  await table.update({ batchId: 'b-1', sk: 'BATCH' }, { UpdateExpression: 'SET responseUrl = :u', ExpressionAttributeValues: { ':u': url } });
  const posted: Array<[string, unknown]> = [];
  const handler = makeHandler({ table, combine: async (_id, chunks) => ({ items: chunks.flat().length }), log: () => {},
    post: async (to, body) => { posted.push([to, body]); return 200; } });

  assert.deepEqual(await handler({ batchId: 'b-1' }), { batchId: 'b-1', status: 'COMPLETE' });
  assert.deepEqual(posted, [[url, { response_type: 'ephemeral', text: 'Batch b-1 complete: {"items":4}' }]]);
});

test('a late answer that fails leaves the batch complete', async () => {
  const table = new FakeTable(3);
  await table.update({ batchId: 'b-1', sk: 'BATCH' }, { UpdateExpression: 'SET responseUrl = :u', ExpressionAttributeValues: { ':u': 'https://hooks.slack.com/commands/T1/2/def' } });
  const handler = makeHandler({ table, combine: async () => ({}), log: () => {}, post: async () => 404 });
  assert.deepEqual(await handler({ batchId: 'b-1' }), { batchId: 'b-1', status: 'COMPLETE' });
  assert.equal(table.batch.status, 'COMPLETE');
});
{{/if}}
