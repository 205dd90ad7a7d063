import { test } from 'node:test';
import assert from 'node:assert/strict';
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
import type { APIGatewayProxyEvent } from 'aws-lambda';
{{/unless}}
{{/unless}}
import { chunk, makeHandler, type BatchTable, type Condition, type Item, type QueueEntry, type Update } from '../src/parent/core';
import { FakeDocumentTable } from './fake-dynamodb';
{{#if webhook}}
import { samplePayload, signedEvent, usesTimestamp, type SenderName } from './webhook-signing';

const SECRET = 'test-signing-secret';
const SENDER: SenderName = '{{sender}}';
{{/if}}
{{#if triggerEvent}}
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
{{/if}}

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
{{#if triggerEvent}}
  const objects = new Map<string, string>(); // "bucket/key" -> body, as S3 holds them
{{/if}}
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
{{#if triggerEvent}}
    readObject: async (bucket, key) => {
      const body = objects.get(`${bucket}/${key}`);
      if (body === undefined) throw new Error(`NoSuchKey: ${bucket}/${key}`);
      return body;
    },
{{/if}}
{{#if triggerSchedule}}
    listRunItems: (scheduledTime) => Array.from({ length: 25 }, (_, n) => ({ run: scheduledTime, n })),
{{/if}}
{{#if webhook}}
    sender: SENDER,
    signingSecret: SECRET,
{{/if}}
    now: {{#if webhook}}() => Math.floor(Date.now() / 1000){{else}}() => 1_000{{/if}},
    log: () => {},
  });
{{#if triggerEvent}}
  return { table, sent, objects, handler };
{{/if}}
{{#if triggerSchedule}}
  return { table, sent, handler };
{{/if}}
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#if webhook}}
  return { table, sent, handler };
{{else}}
  const submit = async (items: unknown[], key = 'batch-1') => {
    const event = { httpMethod: 'POST', headers: { 'Idempotency-Key': key }, body: JSON.stringify({ items }), isBase64Encoded: false };
    const result = await handler(event as unknown as APIGatewayProxyEvent);
    return { status: result.statusCode, body: JSON.parse(result.body) as Item };
  };
  return { table, sent, submit, handler };
{{/if}}
{{/unless}}
{{/unless}}
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

{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#unless webhook}}
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
{{/unless}}
{{/unless}}
{{/unless}}
{{#if webhook}}

/** A delivery signed as the sender signs it, through the REST API's POST /webhook route. */
function delivery(deliveryId: string, payload?: Record<string, unknown>, secret = SECRET, options: { nowSeconds?: number; unsigned?: boolean } = {}) {
  const event = signedEvent(SENDER, payload ?? samplePayload(SENDER, deliveryId), secret, { deliveryId, ...options });
  return { ...event, httpMethod: 'POST' } as unknown as APIGatewayProxyEvent;
}

test('a signed delivery fans out its items as the batch named by its delivery id', async () => {
  const { table, sent, handler } = setup();
  const result = await handler(delivery('d-1'));

  assert.equal(result.statusCode, 200);
  assert.equal(JSON.parse(result.body).batchId, 'd-1');
  assert.deepEqual(sent.map((m) => m.items), [[samplePayload(SENDER, 'd-1')]]); // the delivery is the one item (itemsOf)
  assert.equal(table.items.get('d-1|BATCH')?.deliveryId, 'd-1');
{{#if senderSlackCommand}}
  assert.equal(JSON.parse(result.body).response_type, 'ephemeral'); // the command's receipt, at once
  assert.equal(table.items.get('d-1|BATCH')?.responseUrl, samplePayload(SENDER, 'd-1').response_url); // the aggregator answers there
{{/if}}
});

test('a redelivery fans out nothing new', async () => {
  const { sent, handler } = setup();
  assert.equal((await handler(delivery('d-2'))).statusCode, 200);
  assert.equal((await handler(delivery('d-2'))).statusCode, 200);
  assert.equal(sent.length, 1);
});

for (const change of ['wrong secret', 'missing', 'stale'] as const) {
  test(`an unsigned, wrong or stale delivery (${change}) is 401 and fans out nothing`, async (t) => {
    if (change === 'stale' && !usesTimestamp(SENDER)) { t.skip('this sender signs no timestamp'); return; }
    const { sent, handler } = setup();
    const event = change === 'wrong secret' ? delivery('d-3', undefined, 'another-secret')
      : change === 'missing' ? delivery('d-3', undefined, SECRET, { unsigned: true }) : delivery('d-3', undefined, SECRET, { nowSeconds: 1_000_000_000 });
    assert.equal((await handler(event)).statusCode, 401);
    assert.equal(sent.length, 0);
  });
}
{{#if senderSlackEvents}}

test("Slack's url_verification is answered with its challenge", async () => {
  const { sent, handler } = setup();
  const result = await handler(delivery('x', { type: 'url_verification', challenge: 'c-42' }));
  assert.equal(result.statusCode, 200);
  assert.deepEqual(JSON.parse(result.body), { challenge: 'c-42' });
  assert.equal(sent.length, 0);
});
{{/if}}
{{/if}}
{{#if triggerEvent}}

/** events/object-created.json for another object (run from the project root, as npm test runs). */
function objectCreated(bucket: string, key: string, sequencer = '00617F08299329D189') {
  const event = JSON.parse(readFileSync(join(process.cwd(), 'events', 'object-created.json'), 'utf8'));
  event.detail.bucket.name = bucket;
  event.detail.object.key = key;
  event.detail.object.sequencer = sequencer;
  return event;
}

test('an Object Created event fans out the batch file once', async () => {
  const { table, sent, objects, handler } = setup();
  const items = Array.from({ length: 25 }, (_, n) => `item-${n}`);
  objects.set('uploads/in/batch.json', JSON.stringify({ items }));

  const outcome = await handler(objectCreated('uploads', 'in/batch.json'));
  const again = await handler(objectCreated('uploads', 'in/batch.json')); // EventBridge redelivers

  const batchId = 's3://uploads/in/batch.json#00617F08299329D189';
  assert.deepEqual(outcome, { batchId, status: 'RUNNING', totalItems: 25, totalChunks: 3 });
  assert.equal(again.batchId, batchId);
  assert.deepEqual(sent.map((m) => m.items), [items.slice(0, 10), items.slice(10, 20), items.slice(20)]); // sent once
  assert.equal(table.items.get(`${batchId}|BATCH`)?.source, 's3://uploads/in/batch.json');
});

test('a JSON array is a batch, and a bad file fails the invocation', async () => {
  const { objects, handler } = setup();
  objects.set('uploads/a.json', '[1, 2, 3]');
  objects.set('uploads/bad.json', 'not json');
  assert.equal((await handler(objectCreated('uploads', 'a.json'))).totalItems, 3);
  await assert.rejects(handler(objectCreated('uploads', 'bad.json', '0062')), { name: 'BadRequest' }); // retried, then FailedStartsQueue
});
{{/if}}
{{#if triggerSchedule}}

test('a scheduled run fans out its items once per scheduled time', async () => {
  const { sent, handler } = setup();
  const outcome = await handler({ scheduledTime: '2026-11-23T06:00:00Z', executionId: 'e-1' });
  const retried = await handler({ scheduledTime: '2026-11-23T06:00:00Z', executionId: 'e-1' }); // Scheduler's retry

  assert.deepEqual(outcome, { batchId: 'run-2026-11-23T06:00:00Z', status: 'RUNNING', totalItems: 25, totalChunks: 3 });
  assert.equal(retried.batchId, outcome.batchId);
  assert.equal(sent.length, 3);
  assert.equal((await handler({ scheduledTime: '2026-11-23T12:00:00Z' })).batchId, 'run-2026-11-23T12:00:00Z');
  assert.equal(sent.length, 6); // the next run is a batch of its own
});
{{/if}}
