import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHandler, type Deps } from '../src/job/core.js';
import { FakeDynamoDB } from './fake-dynamodb.js';

const TABLE = 'job-runs';
const MARGIN_MS = 30_000;

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

/** The demo job of app.ts: five pages of 100 items, stopping when the time budget runs low. */
const pagedJob: Deps['runJob'] = async (_t, timeLeftMs) => {
  let processed = 0;
  for (let page = 0; page < 5; page += 1) {
    if (timeLeftMs() < MARGIN_MS) return { processed, complete: false };
    processed += 100;
  }
  return { processed, complete: true };
};

function setup(runJob: Deps['runJob'] = pagedJob) {
  const db = new FakeDynamoDB({ [TABLE]: ['runId'] });
  return { db, handler: makeHandler({ db, tableName: TABLE, jobName: 'nightly', runTtlDays: 30, runJob, log: () => {} }) };
}

const schedulerEvent = (scheduledTime = '2026-11-23T02:00:00Z', attempt = '1') =>
  ({ jobName: 'nightly', scheduledTime, attempt, executionId: 'e-1', scheduleArn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/s' });
const run = (db: FakeDynamoDB, t = '2026-11-23T02:00:00Z') => db.items(TABLE).find((i) => i.runId.S === `nightly#${t}`);

test('a run is claimed, done and summarised', async () => {
  const { db, handler } = setup();
  assert.deepEqual(await handler(schedulerEvent(), fakeContext()), {
    runId: 'nightly#2026-11-23T02:00:00Z', status: 'DONE', summary: { processed: 500, complete: true },
  });
  assert.equal(run(db)?.status.S, 'DONE');
  assert.equal(run(db)?.attempts.N, '1');
  assert.deepEqual(JSON.parse(run(db)?.summary.S ?? ''), { processed: 500, complete: true });
});

test('the same scheduled time runs once', async () => {
  const calls: string[] = [];
  const { handler } = setup(async (t) => { calls.push(t); return {}; });
  const first = await handler(schedulerEvent('2026-11-23T02:00:00Z', '1'), fakeContext());
  const again = await handler(schedulerEvent('2026-11-23T02:00:00Z', '2'), fakeContext(900_000, 0, 'req-2'));
  assert.deepEqual([first.status, again.status, calls], ['DONE', 'SKIPPED', ['2026-11-23T02:00:00Z']]);
});

test('a different scheduled time is a new run', async () => {
  const calls: string[] = [];
  const { handler } = setup(async (t) => { calls.push(t); return {}; });
  await handler(schedulerEvent('2026-11-23T02:00:00Z'), fakeContext());
  await handler(schedulerEvent('2026-11-23T03:00:00Z'), fakeContext());
  assert.deepEqual(calls, ['2026-11-23T02:00:00Z', '2026-11-23T03:00:00Z']);
});

test('a run in progress elsewhere is not started again', async () => {
  const { db, handler } = setup(async () => assert.fail('must not run twice'));
  db.seed(TABLE, { runId: { S: 'nightly#2026-11-23T02:00:00Z' }, status: { S: 'RUNNING' }, owner: { S: 'other' }, leaseUntil: { N: String(Date.now() + 600_000) } });
  assert.equal((await handler(schedulerEvent(), fakeContext())).status, 'SKIPPED');
});

test('a failed run throws for a retry, and the retry completes', async () => {
  let calls = 0;
  const { db, handler } = setup(async () => {
    calls += 1;
    if (calls === 1) throw new Error('database busy');
    return { processed: 7 };
  });
  // throwing lets Lambda retry, then use the on-failure destination
  await assert.rejects(handler(schedulerEvent(), fakeContext()), /database busy/);
  assert.equal(run(db)?.status.S, 'FAILED');
  assert.equal((await handler(schedulerEvent('2026-11-23T02:00:00Z', '2'), fakeContext(900_000, 0, 'req-2'))).status, 'DONE');
  assert.equal(run(db)?.attempts.N, '2');
});

test('the work stops before the time budget runs out', async () => {
  const { handler } = setup();
  // 100 s left, 25 s used per page, 30 s margin: the clock reads 100 (lease), 75, 50, 25 -> 2 pages
  const res = await handler(schedulerEvent(), fakeContext(100_000, 25_000));
  assert.deepEqual(res.summary, { processed: 200, complete: false });
});

test('an EventBridge rule time is accepted; a missing time is an error', async () => {
  const { handler } = setup();
  assert.equal((await handler({ time: '2026-11-23T04:00:00Z' }, fakeContext())).runId, 'nightly#2026-11-23T04:00:00Z');
  await assert.rejects(handler({ scheduledTime: '<aws.scheduler.scheduled-time>' }, fakeContext()), /no scheduledTime/);
});
