import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventBridgeEvent } from 'aws-lambda';
import { makeHandler, type TaskStateChange } from '../src/watcher/core.js';
import { FakeDynamoDB } from './fake-dynamodb.js';

const TABLE = 'jobs';

function setup() {
  const db = new FakeDynamoDB({ [TABLE]: ['jobId'] });
  return { db, handler: makeHandler({ db, tableName: TABLE, containerName: 'worker', log: () => {} }) };
}

function stopped(jobId: string, opts: { exitCode?: number | null; reason?: string | null; stoppedReason?: string; lastStatus?: string } = {}) {
  return {
    version: '0', id: 'x', account: '123456789012', time: '', region: 'us-east-1', resources: [],
    source: 'aws.ecs', 'detail-type': 'ECS Task State Change',
    detail: {
      lastStatus: opts.lastStatus ?? 'STOPPED', startedBy: jobId, stopCode: 'EssentialContainerExited',
      stoppedReason: opts.stoppedReason ?? 'Essential container in task exited',
      containers: [{ name: 'worker', exitCode: opts.exitCode === undefined ? 137 : opts.exitCode,
        reason: opts.reason === undefined ? 'OutOfMemoryError: Container killed due to memory usage' : opts.reason }],
    },
  } as EventBridgeEvent<'ECS Task State Change', TaskStateChange>;
}

const status = (db: FakeDynamoDB, jobId: string) => db.items(TABLE).find((i) => i.jobId.S === jobId);

test('a running job whose task stopped is marked FAILED with the reason', async () => {
  const { db, handler } = setup();
  db.seed(TABLE, { jobId: { S: 'j1' }, status: { S: 'RUNNING' } });
  assert.deepEqual(await handler(stopped('j1')), { updated: true });
  assert.equal(status(db, 'j1')?.status.S, 'FAILED');
  assert.match(status(db, 'j1')?.error.S ?? '', /OutOfMemoryError.*exit code 137/);
});

test('a pending job whose image could not be pulled is marked FAILED', async () => {
  const { db, handler } = setup();
  db.seed(TABLE, { jobId: { S: 'j2' }, status: { S: 'PENDING' } });
  await handler(stopped('j2', { exitCode: null, reason: null, stoppedReason: 'CannotPullContainerError: image not found' }));
  assert.match(status(db, 'j2')?.error.S ?? '', /CannotPullContainerError/);
});

test('a job that recorded its result is left alone', async () => {
  const { db, handler } = setup();
  db.seed(TABLE, { jobId: { S: 'j3' }, status: { S: 'SUCCEEDED' } });
  assert.deepEqual(await handler(stopped('j3', { exitCode: 0, reason: null })), { updated: false });
  assert.equal(status(db, 'j3')?.status.S, 'SUCCEEDED');
});

test('events that are not stops are ignored', async () => {
  const { db, handler } = setup();
  db.seed(TABLE, { jobId: { S: 'j4' }, status: { S: 'RUNNING' } });
  assert.deepEqual(await handler(stopped('j4', { lastStatus: 'RUNNING' })), { updated: false });
  assert.equal(db.calls.length, 0);
});
