import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KinesisStreamRecord } from 'aws-lambda';
import { makeConsumer, PoisonRecord, type Deps } from '../src/consumer/core.js';
import { FakeDynamoDB } from './fake-dynamodb.js';

const TABLE = 'processed-events';
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60_000 };

function setup(processEvent: Deps['processEvent'], parkFails = false) {
  const db = new FakeDynamoDB({ [TABLE]: ['eventId'] });
  const parked: Array<Record<string, unknown>> = [];
  const consumer = makeConsumer({
    db,
    queue: {
      sendMessage: async (input) => {
        if (parkFails) throw new Error('sqs unreachable');
        parked.push(JSON.parse(input.MessageBody ?? '{}'));
      },
    },
    tableName: TABLE,
    failedQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/failed',
    dedupTtlHours: 48,
    processEvent,
    log: () => {},
  });
  return { db, parked, handler: consumer.handler };
}

function kinesisRecord(payload: unknown, seq: string, raw?: string): KinesisStreamRecord {
  return {
    awsRegion: 'us-east-1', eventID: `shardId-000000000000:${seq}`, eventName: 'aws:kinesis:record', eventSource: 'aws:kinesis',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s', eventVersion: '1.0', invokeIdentityArn: 'arn:aws:iam::123456789012:role/r',
    kinesis: {
      approximateArrivalTimestamp: 1795435200, kinesisSchemaVersion: '1.0', partitionKey: 'user-1', sequenceNumber: seq,
      data: raw ?? Buffer.from(JSON.stringify(payload)).toString('base64'),
    },
  };
}

const batch = (n: number, start = 100) =>
  Array.from({ length: n }, (_, i) => kinesisRecord({ eventId: `e${i}`, type: 'click' }, String(start + i)));
const status = (db: FakeDynamoDB, id: string) => db.items(TABLE).find((i) => i.eventId.S === id)?.status?.S;

test('processes every record in order', async () => {
  const seen: string[] = [];
  const { db, handler } = setup(async (id) => { seen.push(id); });
  assert.deepEqual(await handler({ Records: batch(3) }, context), { batchItemFailures: [] });
  assert.deepEqual(seen, ['e0', 'e1', 'e2']);
  assert.equal(status(db, 'e1'), 'DONE');
});

test('a failure returns the first failed sequence number and stops there', async () => {
  const seen: string[] = [];
  const { db, handler } = setup(async (id) => {
    if (id === 'e1') throw new Error('downstream timed out');
    seen.push(id);
  });
  assert.deepEqual(await handler({ Records: batch(3) }, context), { batchItemFailures: [{ itemIdentifier: '101' }] });
  assert.deepEqual(seen, ['e0'], 'e2 is left for the retry, which starts at 101');
  assert.equal(status(db, 'e1'), undefined, 'released for the retry');
});

test('the retried batch skips events already processed', async () => {
  const calls: string[] = [];
  const failOnce = new Set(['e1']);
  const { handler } = setup(async (id) => {
    calls.push(id);
    if (failOnce.delete(id)) throw new Error('connection reset');
  });
  const records = batch(3);
  assert.deepEqual((await handler({ Records: records }, context)).batchItemFailures, [{ itemIdentifier: '101' }]);
  // Lambda retries from 101; a producer retry also re-sent e0 under a new sequence number
  const retry = [kinesisRecord({ eventId: 'e0', type: 'click' }, '099'), ...records.slice(1)];
  assert.deepEqual(await handler({ Records: retry }, context), { batchItemFailures: [] });
  assert.deepEqual(calls, ['e0', 'e1', 'e1', 'e2']);
});

test('the event id falls back to the Kinesis eventID', async () => {
  const seen: string[] = [];
  const { handler } = setup(async (id) => { seen.push(id); });
  await handler({ Records: [kinesisRecord({ type: 'click' }, '200')] }, context);
  assert.deepEqual(seen, ['shardId-000000000000:200']);
});

test('poison records are parked with their data and the batch goes on', async () => {
  const { db, parked, handler } = setup(async (_id, event) => {
    if (!('type' in event)) throw new PoisonRecord('event has no type');
  });
  const records = [
    kinesisRecord(undefined, '300', Buffer.from('not json').toString('base64')),
    kinesisRecord({ eventId: 'e9' }, '301'),
    kinesisRecord({ eventId: 'e10', type: 'click' }, '302'),
  ];
  assert.deepEqual(await handler({ Records: records }, context), { batchItemFailures: [] });
  assert.deepEqual(parked.map((p) => p.sequenceNumber), ['300', '301']);
  assert.ok(parked.every((p) => typeof p.data === 'string' && p.data.length > 0));
  assert.equal(status(db, 'e9'), 'PARKED');
  assert.equal(status(db, 'e10'), 'DONE');
});

test('a poison record that cannot be parked is retried, not lost', async () => {
  const { db, handler } = setup(async () => { throw new PoisonRecord('bad'); }, true);
  assert.deepEqual(await handler({ Records: [kinesisRecord({ eventId: 'e11' }, '500')] }, context), { batchItemFailures: [{ itemIdentifier: '500' }] });
  assert.equal(status(db, 'e11'), undefined, 'the retry will park it');
});

test('an event in progress elsewhere is not processed twice', async () => {
  const { db, handler } = setup(async () => assert.fail('must not run twice'));
  db.seed(TABLE, { eventId: { S: 'e5' }, status: { S: 'IN_PROGRESS' }, owner: { S: 'other' }, leaseUntil: { N: String(Date.now() + 600_000) } });
  assert.deepEqual(await handler({ Records: [kinesisRecord({ eventId: 'e5', type: 'x' }, '400')] }, context), { batchItemFailures: [] });
});
