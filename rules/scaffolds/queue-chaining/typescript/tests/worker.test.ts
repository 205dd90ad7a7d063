import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SQSEvent } from 'aws-lambda';
import { makeWorker, type Continuation, type Deps, type ProcessStep } from '../src/worker/core.js';
import { FakeDynamoDB } from './fake-dynamodb.js';

const TABLE = 'jobs';
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs';

/** Lambda context whose remaining time drops by `stepMs` on every call. */
function fakeContext(remainingMs = 900_000, stepMs = 0, awsRequestId = 'req-1') {
  let left = remainingMs;
  return {
    awsRequestId,
    getRemainingTimeInMillis: () => {
      const value = left;
      left -= stepMs;
      return value;
    },
  };
}

/** The demo step of app.ts: walk params.totalItems in pages of params.pageSize. */
const pagedStep: ProcessStep = async (_jobId, params, cursor) => {
  const offset = Number(cursor ?? 0);
  const total = Number(params.totalItems ?? 1000);
  const end = Math.min(offset + Number(params.pageSize ?? 100), total);
  return { cursor: end, done: end >= total };
};

function setup(processStep: ProcessStep = pagedStep) {
  const db = new FakeDynamoDB({ [TABLE]: ['pk', 'sk'] });
  const sent: Continuation[] = [];
  const visibility: Array<{ ReceiptHandle?: string; VisibilityTimeout?: number }> = [];
  const deps: Deps = {
    db,
    queue: {
      sendMessage: async (input) => { sent.push(JSON.parse(input.MessageBody ?? '')); },
      changeMessageVisibility: async (input) => { visibility.push(input); },
    },
    tableName: TABLE,
    queueUrl: QUEUE_URL,
    safetyMarginMs: 60_000,
    retryDelaySeconds: 60,
    processStep,
    log: () => {},
  };
  return { db, sent, visibility, worker: makeWorker(deps) };
}

function sqsEvent(...bodies: unknown[]): SQSEvent {
  return {
    Records: bodies.map((b, i) => ({
      messageId: `m${i}`, receiptHandle: `rh${i}`, body: typeof b === 'string' ? b : JSON.stringify(b),
    })),
  } as unknown as SQSEvent;
}

function marker(db: FakeDynamoDB, jobId: string, chunk: number) {
  return db.items(TABLE).find((i) => i.pk.S === `JOB#${jobId}` && i.sk.S === `CHUNK#${String(chunk).padStart(8, '0')}`);
}

function job(db: FakeDynamoDB, jobId: string) {
  return db.items(TABLE).find((i) => i.pk.S === `JOB#${jobId}` && i.sk.S === 'JOB');
}

test('works until the time budget runs low, then queues the continuation', async () => {
  const { db, sent, worker } = setup();
  // the clock reads 900 s (lease), then 600, 300, 0 s after each step; 0 < 60 s margin -> stops after step 3
  const msg = { jobId: 'j1', chunk: 0, cursor: null, params: { totalItems: 1000, pageSize: 100 } };
  const result = await worker.handler(sqsEvent(msg), fakeContext(900_000, 300_000));

  assert.deepEqual(result, { batchItemFailures: [] });
  assert.deepEqual(sent, [{ jobId: 'j1', chunk: 1, cursor: 300, params: { totalItems: 1000, pageSize: 100 } }]);
  const m = marker(db, 'j1', 0);
  assert.equal(m?.status.S, 'DONE');
  assert.equal(m?.continuationSent.BOOL, true);
  assert.equal(m?.finished.BOOL, false);
  assert.equal(m?.nextCursor.S, '300');
  assert.equal(job(db, 'j1')?.status.S, 'RUNNING');
});

test('the last chunk records completion and queues nothing', async () => {
  const { db, sent, worker } = setup();
  const msg = { jobId: 'j2', chunk: 4, cursor: 900, params: { totalItems: 1000, pageSize: 100 } };
  await worker.handler(sqsEvent(msg), fakeContext());

  assert.deepEqual(sent, []);
  const j = job(db, 'j2');
  assert.equal(j?.status.S, 'COMPLETE');
  assert.equal(j?.chunks.N, '5');
  assert.equal(j?.lastCursor.S, '1000');
});

test('a whole job runs as a chain of chunks', async () => {
  const { db, sent, worker } = setup();
  let msg: Continuation | undefined = { jobId: 'j3', chunk: 0, cursor: null, params: { totalItems: 500, pageSize: 100 } };
  let hops = 0;
  while (msg) {
    await worker.handler(sqsEvent(msg), fakeContext(200_000, 100_000, `r${hops}`));
    msg = sent.shift();
    hops += 1;
    assert.ok(hops < 10, 'the chain must end');
  }
  // 200 s budget, 100 s per step, 60 s margin -> 2 steps (200 items) per chunk -> 3 chunks for 500 items
  assert.equal(hops, 3);
  assert.equal(job(db, 'j3')?.status.S, 'COMPLETE');
});

test('a duplicate of a forwarded chunk is dropped', async () => {
  const { db, sent, worker } = setup();
  const msg = { jobId: 'j4', chunk: 0, cursor: null, params: { totalItems: 1000, pageSize: 100 } };
  await worker.handler(sqsEvent(msg), fakeContext(100_000, 50_000));
  assert.equal(sent.length, 1);
  const stepsBefore = marker(db, 'j4', 0)?.steps.N;

  assert.equal(await worker.handleMessage(msg, fakeContext(900_000, 0, 'req-2')), 'duplicate');
  assert.equal(sent.length, 1, 'nothing new was sent');
  assert.equal(marker(db, 'j4', 0)?.steps.N, stepsBefore);
});

test('a chunk that was done but not forwarded is forwarded without redoing the work', async () => {
  const { db, sent, worker } = setup(async () => assert.fail('work must not be redone'));
  db.seed(TABLE, {
    pk: { S: 'JOB#j5' }, sk: { S: 'CHUNK#00000002' }, status: { S: 'DONE' }, owner: { S: 'old' },
    nextCursor: { S: '700' }, finished: { BOOL: false }, continuationSent: { BOOL: false },
  });
  const outcome = await worker.handleMessage({ jobId: 'j5', chunk: 2, cursor: 500, params: {} }, fakeContext());
  assert.equal(outcome, 'forwarded');
  assert.deepEqual(sent, [{ jobId: 'j5', chunk: 3, cursor: 700, params: {} }]);
  assert.equal(marker(db, 'j5', 2)?.continuationSent.BOOL, true);
});

test('a chunk held by a live claim is not run twice', async () => {
  const { db, sent, worker } = setup(async () => assert.fail('work must not run twice'));
  db.seed(TABLE, {
    pk: { S: 'JOB#j6' }, sk: { S: 'CHUNK#00000000' }, status: { S: 'IN_PROGRESS' }, owner: { S: 'other' },
    leaseUntil: { N: String(Date.now() + 600_000) },
  });
  assert.equal(await worker.handleMessage({ jobId: 'j6', chunk: 0, cursor: null }, fakeContext()), 'busy');
  assert.deepEqual(sent, []);
});

test('an expired claim is taken over', async () => {
  const { db, worker } = setup();
  db.seed(TABLE, {
    pk: { S: 'JOB#j7' }, sk: { S: 'CHUNK#00000000' }, status: { S: 'IN_PROGRESS' }, owner: { S: 'dead' },
    leaseUntil: { N: String(Date.now() - 1) },
  });
  const msg = { jobId: 'j7', chunk: 0, cursor: null, params: { totalItems: 100, pageSize: 100 } };
  assert.equal(await worker.handleMessage(msg, fakeContext()), 'processed');
  assert.equal(marker(db, 'j7', 0)?.owner.S, 'req-1');
  assert.equal(job(db, 'j7')?.status.S, 'COMPLETE');
});

test('a failure reports only that message, releases its claim and shortens its visibility', async () => {
  const { db, visibility, worker } = setup(async (jobId) => {
    if (jobId === 'j8') throw new Error('downstream unavailable');
    return { cursor: 10, done: true };
  });
  const event = sqsEvent({ jobId: 'j8', chunk: 0, cursor: null }, { jobId: 'j9', chunk: 0, cursor: null });
  const result = await worker.handler(event, fakeContext());

  assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: 'm0' }] });
  assert.equal(marker(db, 'j8', 0), undefined, 'released: the retry can claim it at once');
  assert.deepEqual(visibility, [{ QueueUrl: QUEUE_URL, ReceiptHandle: 'rh0', VisibilityTimeout: 60 }]);
  assert.equal(job(db, 'j9')?.status.S, 'COMPLETE');
});

test('an unparseable message is reported as failed', async () => {
  const { worker } = setup();
  const result = await worker.handler(sqsEvent('not json'), fakeContext());
  assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: 'm0' }] });
});
