import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DynamoDBRecord } from 'aws-lambda';
import { JobFailed, makeProcessor, type Job, type RunJob } from '../src/processor/core.js';
import { FakeDynamoDB } from './fake-dynamodb.js';

const TABLE = 'jobs';
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 900_000 };

function setup(runJob: RunJob) {
  const db = new FakeDynamoDB({ [TABLE]: ['jobId'] });
  const processor = makeProcessor({ db, tableName: TABLE, maxAttempts: 3, runJob, log: () => {} });
  return { db, processor };
}

function pendingJob(db: FakeDynamoDB, jobId: string, text = 'hello async world') {
  const item = { jobId: { S: jobId }, status: { S: 'pending' }, input: { S: JSON.stringify({ text }) }, createdAt: { S: '2026-01-01T00:00:00Z' } };
  db.seed(TABLE, item);
  return item;
}

function streamRecord(image: Record<string, { S?: string; N?: string }>, eventName: 'INSERT' | 'MODIFY' | 'REMOVE' = 'INSERT', seq = '100'): DynamoDBRecord {
  return {
    eventID: `ev-${seq}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: { jobId: { S: image.jobId.S } },
      NewImage: eventName === 'REMOVE' ? undefined : image,
      SequenceNumber: seq,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

function job(db: FakeDynamoDB, jobId: string) {
  return db.items(TABLE).find((i) => i.jobId.S === jobId);
}

const demo: RunJob = async (j: Job) => ({ characters: String(j.input.text).length });

test('an INSERT with status pending runs the job and records the result', async () => {
  const { db, processor } = setup(demo);
  const item = pendingJob(db, 'j1');
  const result = await processor.handler({ Records: [streamRecord(item)] }, context);

  assert.deepEqual(result, { batchItemFailures: [] });
  const j = job(db, 'j1');
  assert.equal(j?.status.S, 'complete');
  assert.deepEqual(JSON.parse(j?.result.S ?? ''), { characters: 17 });
  assert.equal(j?.attempts.N, '1');
  assert.equal(j?.leaseUntil, undefined);
});

for (const [eventName, status] of [['MODIFY', 'pending'], ['MODIFY', 'complete'], ['INSERT', 'processing'],
  ['INSERT', 'complete'], ['REMOVE', 'pending']] as const) {
  test(`a ${eventName} record with status ${status} is skipped`, async () => {
    const { db, processor } = setup(async () => assert.fail('must not run'));
    const outcome = await processor.processRecord(streamRecord({ jobId: { S: 'j2' }, status: { S: status }, input: { S: '{}' } }, eventName), context);
    assert.equal(outcome, 'skipped');
    assert.equal(db.calls.length, 0, 'no write for a skipped record');
  });
}

test('a record delivered twice runs the job once', async () => {
  const runs: string[] = [];
  const { db, processor } = setup(async (j) => { runs.push(j.jobId); return { ok: true }; });
  const item = pendingJob(db, 'j3');
  const first = await processor.processRecord(streamRecord(item), context);
  const second = await processor.processRecord(streamRecord(item), context);
  assert.deepEqual([first, second, runs], ['complete', 'duplicate', ['j3']]);
});

test('a job claimed by a live attempt is not run again', async () => {
  const { db, processor } = setup(async () => assert.fail('must not run'));
  const item = pendingJob(db, 'j4');
  db.seed(TABLE, { ...item, status: { S: 'processing' }, leaseUntil: { N: String(Date.now() + 600_000) } });
  assert.equal(await processor.processRecord(streamRecord(item), context), 'duplicate');
});

test('JobFailed marks the job error without a retry', async () => {
  const { db, processor } = setup(async () => { throw new JobFailed('input.text must be a non-empty string'); });
  const item = pendingJob(db, 'j5', '');
  assert.deepEqual(await processor.handler({ Records: [streamRecord(item)] }, context), { batchItemFailures: [] });
  assert.equal(job(db, 'j5')?.status.S, 'error');
  assert.match(job(db, 'j5')?.error.S ?? '', /non-empty/);
});

test('a transient failure releases the job and reports the record; later records wait for the retry', async () => {
  const { db, processor } = setup(async () => { throw new Error('model endpoint timed out'); });
  const first = pendingJob(db, 'j6');
  const second = pendingJob(db, 'j7');
  const result = await processor.handler({ Records: [streamRecord(first, 'INSERT', '101'), streamRecord(second, 'INSERT', '102')] }, context);

  assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: '101' }] });
  assert.equal(job(db, 'j6')?.status.S, 'pending', 'released: the retry can claim it');
  assert.equal(job(db, 'j7')?.status.S, 'pending', 'untouched');
  assert.equal(job(db, 'j7')?.attempts, undefined);
});

test('the retry after a transient failure completes the job', async () => {
  let calls = 0;
  const { db, processor } = setup(async () => {
    calls += 1;
    if (calls === 1) throw new Error('connection reset');
    return { ok: true };
  });
  const item = pendingJob(db, 'j8');
  assert.equal((await processor.handler({ Records: [streamRecord(item)] }, context)).batchItemFailures.length, 1);
  assert.deepEqual(await processor.handler({ Records: [streamRecord(item)] }, context), { batchItemFailures: [] });
  assert.equal(job(db, 'j8')?.status.S, 'complete');
  assert.equal(job(db, 'j8')?.attempts.N, '2');
});

test('the last attempt marks the job error instead of retrying forever', async () => {
  const { db, processor } = setup(async () => { throw new Error('still down'); });
  const item = pendingJob(db, 'j9');
  const failed: boolean[] = [];
  for (let i = 0; i < 3; i += 1) {
    failed.push((await processor.handler({ Records: [streamRecord(item)] }, context)).batchItemFailures.length > 0);
  }
  assert.deepEqual(failed, [true, true, false]);
  assert.equal(job(db, 'j9')?.status.S, 'error');
  assert.match(job(db, 'j9')?.error.S ?? '', /gave up after 3 attempts/);
});
