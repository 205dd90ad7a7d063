import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
{{#if triggerEvent}}
import { makeHandler, tasksOf, type ConditionalWrite, type Item, type TaskTable } from '../src/worker/core';
{{else}}
import { makeHandler, type ConditionalWrite, type Item, type TaskTable } from '../src/worker/core';
{{/if}}
import { FakeDocumentTable } from './fake-dynamodb';

/** The tasks table: the shared fake evaluates the ConditionExpression core.ts sends, as DynamoDB would. */
class FakeTable implements TaskTable {
  readonly table = new FakeDocumentTable('tasks', ['taskId']);
  /** The stored items by key, as the tests seed and read them. */
  readonly items = this.table.byKey;

  async put(input: ConditionalWrite & { Item: Item }): Promise<void> {
    await this.table.put(input);
  }

  async get(key: Item): Promise<Item | undefined> {
    return this.table.get({ Key: key });
  }

  async update(input: ConditionalWrite & { Key: Item; UpdateExpression: string }): Promise<void> {
    await this.table.update(input);
  }

  async delete(input: ConditionalWrite & { Key: Item }): Promise<void> {
    await this.table.delete(input);
  }
}

{{#unless triggerEvent}}
function record(messageId: string, taskId: string, payload: Item = { n: 1 }): SQSRecord {
  return { messageId, body: JSON.stringify({ taskId, payload }) } as SQSRecord;
}
{{/unless}}

function batch(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

function setup(processTask: (taskId: string, payload: Item) => Promise<unknown> = async (taskId) => ({ ok: taskId })) {
  const table = new FakeTable();
  const calls: string[] = [];
  const handler = makeHandler({
    table,
    processTask: async (taskId, payload) => {
      calls.push(taskId);
      return processTask(taskId, payload);
    },
    leaseSeconds: 120,
    keepDoneSeconds: 3600,
    now: () => 1_000,
    log: () => {},
  });
  return { table, calls, handler };
}

{{#unless triggerEvent}}
test('reports only the failed message and releases its claim', async () => {
  const { table, handler } = setup(async (taskId) => {
    if (taskId === 't2') throw new Error('boom');
    return {};
  });

  const result = await handler(batch(record('m1', 't1'), record('m2', 't2'), record('m3', 't3')));

  assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: 'm2' }] });
  assert.equal(table.items.get('t1')?.status, 'DONE');
  assert.equal(table.items.get('t3')?.status, 'DONE');
  assert.equal(table.items.has('t2'), false, 'the redelivered message must be able to claim t2 again');
});

test('a duplicate delivery of a done task is skipped, not failed', async () => {
  const { calls, handler } = setup();

  const first = await handler(batch(record('m1', 't1')));
  const again = await handler(batch(record('m1-redelivered', 't1')));

  assert.deepEqual(first, { batchItemFailures: [] });
  assert.deepEqual(again, { batchItemFailures: [] });
  assert.deepEqual(calls, ['t1']);
});

test('a task held by another worker goes back to the queue', async () => {
  const { table, calls, handler } = setup();
  table.items.set('t1', { taskId: 't1', status: 'IN_PROGRESS', messageId: 'other', leaseUntil: 1_100 });

  const result = await handler(batch(record('m1', 't1')));

  assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: 'm1' }] });
  assert.deepEqual(calls, []);
});

test('a claim whose lease expired is taken over', async () => {
  const { table, calls, handler } = setup();
  table.items.set('t1', { taskId: 't1', status: 'IN_PROGRESS', messageId: 'crashed', leaseUntil: 999 });

  const result = await handler(batch(record('m1', 't1')));

  assert.deepEqual(result, { batchItemFailures: [] });
  assert.deepEqual(calls, ['t1']);
  assert.equal(table.items.get('t1')?.status, 'DONE');
});

test('an unreadable message is reported failed without touching the rest', async () => {
  const { table, handler } = setup();

  const result = await handler(batch({ messageId: 'bad', body: 'not json' } as SQSRecord, record('m2', 't2')));

  assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: 'bad' }] });
  assert.equal(table.items.get('t2')?.status, 'DONE');
});

test('a claim carries the lease and the retention TTL', async () => {
  const { table, handler } = setup(async () => {
    throw new Error('keep the claim visible');
  });
  const seen: Item[] = [];
  const put = table.put.bind(table);
  table.put = async (input) => {
    seen.push(input.Item);
    return put(input);
  };

  await handler(batch(record('m1', 't1')));

  assert.deepEqual(seen, [{ taskId: 't1', status: 'IN_PROGRESS', messageId: 'm1', leaseUntil: 1_120, expiresAt: 4_600 }]);
});
{{#if webhook}}

test('a slash command\'s task posts its late answer to the response_url', async () => {
  const posted: [string, unknown][] = [];
  const table = new FakeTable();
  const handler = makeHandler({
    table,
    processTask: async (_taskId, payload) => ({ report: payload.text }),
    postJson: async (url, body) => (posted.push([url, body]), 200),
    leaseSeconds: 120,
    keepDoneSeconds: 3600,
    now: () => 1_000,
    log: () => {},
  });
  const body = { taskId: 'trig-1', payload: { text: 'weekly' }, responseUrl: 'https://hooks.slack.com/commands/T1/1/abc' };

  assert.deepEqual(await handler(batch({ messageId: 'm1', body: JSON.stringify(body) } as SQSRecord)), { batchItemFailures: [] });

  assert.deepEqual(posted, [['https://hooks.slack.com/commands/T1/1/abc', { response_type: 'in_channel', text: '{"report":"weekly"}' }]]);
  assert.equal(table.items.get('trig-1')?.status, 'DONE');
});
{{/if}}
{{/unless}}
{{#if triggerEvent}}
/** An SQS message carrying the S3 event notification of one object (the key URL-encoded: "+" is a space). */
function s3Message(messageId: string, key = 'exports/orders+7.csv', sequencer = '0A1B2C3D4E5F678901', eventName = 'ObjectCreated:Put'): SQSRecord {
  const notification = {
    Records: [{
      eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1', eventName,
      s3: { s3SchemaVersion: '1.0', bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' }, object: { key, size: 42, eTag: 'abc', sequencer } },
    }],
  };
  return { messageId, body: JSON.stringify(notification), eventSource: 'aws:sqs' } as SQSRecord;
}

const TASK = 'uploads/exports/orders 7.csv#0A1B2C3D4E5F678901';

test('an S3 record in a message is a task with the object', async () => {
  const seen: [string, Item][] = [];
  const { table, handler } = setup(async (taskId, payload) => { seen.push([taskId, payload]); return { rows: 3 }; });

  assert.deepEqual(await handler(batch(s3Message('m1'))), { batchItemFailures: [] });

  assert.deepEqual(seen, [[TASK, { bucket: 'uploads', key: 'exports/orders 7.csv', size: 42 }]]);
  assert.equal(table.items.get(TASK)?.status, 'DONE');
  assert.equal(table.items.get(TASK)?.result, '{"rows":3}');
});

test("S3's s3:TestEvent is acknowledged and runs nothing", async () => {
  const { table, calls, handler } = setup();
  const testEvent = { Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2024-06-01T12:00:00.000Z', Bucket: 'uploads', RequestId: '5582815E1AEA5ADF' };

  assert.deepEqual(await handler(batch({ messageId: 't', body: JSON.stringify(testEvent) } as SQSRecord)), { batchItemFailures: [] });
  assert.deepEqual(calls, []);
  assert.equal(table.table.items().length, 0);
});

test('a redelivered S3 event runs once; a new upload of the key runs again', async () => {
  const { calls, handler } = setup();

  await handler(batch(s3Message('m1')));
  assert.deepEqual(await handler(batch(s3Message('m1-redelivered'))), { batchItemFailures: [] });
  await handler(batch(s3Message('m2', 'exports/orders+7.csv', '0A1B2C3D4E5F678999')));

  assert.deepEqual(calls, [TASK, 'uploads/exports/orders 7.csv#0A1B2C3D4E5F678999']);
});

test('a failed task fails only its message and releases its claim; an unreadable message fails', async () => {
  const { table, handler } = setup(async (taskId) => {
    if (taskId.includes('b.csv')) throw new Error('boom');
    return {};
  });

  const result = await handler(batch(s3Message('m1', 'a.csv'), s3Message('m2', 'b.csv'), { messageId: 'bad', body: 'not json' } as SQSRecord));

  assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'bad' }] });
  assert.equal(table.items.get('uploads/a.csv#0A1B2C3D4E5F678901')?.status, 'DONE');
  assert.equal(table.items.get('uploads/b.csv#0A1B2C3D4E5F678901'), undefined); // the redelivery can run it again
});

test('an object held by another worker goes back to the queue; other event types run nothing', async () => {
  const { table, calls, handler } = setup();
  table.items.set(TASK, { taskId: TASK, status: 'IN_PROGRESS', messageId: 'other', leaseUntil: Number.MAX_SAFE_INTEGER });

  assert.deepEqual(await handler(batch(s3Message('m1'))), { batchItemFailures: [{ itemIdentifier: 'm1' }] });
  assert.deepEqual(tasksOf(s3Message('m2', 'a.csv', '01', 'ObjectRemoved:Delete')), []);
  assert.deepEqual(calls, []);
});
{{/if}}
