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

{{#unless triggerEvent}}
{{#unless triggerSchedule}}
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
{{/unless}}
{{/unless}}
{{#unless triggerRequest}}
{{#unless triggerWebhook}}
const TASK_A = 'arn:aws:ecs:us-east-1:123456789012:task/test/aaaa';
const TASK_B = 'arn:aws:ecs:us-east-1:123456789012:task/test/bbbb';
{{#if triggerEvent}}
const JOB = 'ev-1'; // the event's id, which the rule gives every task it starts for that event as JOB_ID
{{/if}}
{{#if triggerSchedule}}
const JOB = 'run-aaaa'; // a scheduled run's job is named after its task
{{/if}}

function stoppedTask(taskArn: string, opts: { exitCode?: number | null; reason?: string | null; stoppedReason?: string } = {}) {
  return {
    version: '0', id: 'x', account: '123456789012', time: '', region: 'us-east-1', resources: [],
    source: 'aws.ecs', 'detail-type': 'ECS Task State Change',
    detail: {
      lastStatus: 'STOPPED', taskArn, stopCode: 'EssentialContainerExited',
{{#if triggerEvent}}
      startedBy: 'events-rule/test-ObjectCreatedRule',
      overrides: { containerOverrides: [{ name: 'worker', environment: [
        { name: 'JOB_ID', value: JOB }, { name: 'S3_BUCKET', value: 'uploads' }, { name: 'S3_KEY', value: 'in/a.csv' }] }] },
{{/if}}
      stoppedReason: opts.stoppedReason ?? 'Essential container in task exited',
      containers: [{ name: 'worker', exitCode: opts.exitCode === undefined ? 137 : opts.exitCode,
        reason: opts.reason === undefined ? 'OutOfMemoryError: Container killed due to memory usage' : opts.reason }],
    },
  } as EventBridgeEvent<'ECS Task State Change', TaskStateChange>;
}

test('a running job whose own task stopped is marked FAILED', async () => {
  const { db, handler } = setup();
  db.seed(TABLE, { jobId: { S: JOB }, status: { S: 'RUNNING' }, taskArn: { S: TASK_A } });
  assert.deepEqual(await handler(stoppedTask(TASK_A)), { updated: true });
  assert.equal(status(db, JOB)?.status.S, 'FAILED');
  assert.match(status(db, JOB)?.error.S ?? '', /OutOfMemoryError/);
});

test('a task that stopped before recording its job records it FAILED', async () => {
  const { db, handler } = setup();
  assert.deepEqual(await handler(stoppedTask(TASK_A, { exitCode: null, reason: null, stoppedReason: 'CannotPullContainerError: image not found' })), { updated: true });
  assert.equal(status(db, JOB)?.status.S, 'FAILED');
  assert.match(status(db, JOB)?.error.S ?? '', /CannotPullContainerError/);
});

test('a job that recorded its result is left alone', async () => {
  const { db, handler } = setup();
  db.seed(TABLE, { jobId: { S: JOB }, status: { S: 'SUCCEEDED' }, taskArn: { S: TASK_A } });
  assert.deepEqual(await handler(stoppedTask(TASK_A, { exitCode: 0, reason: null })), { updated: false });
  assert.equal(status(db, JOB)?.status.S, 'SUCCEEDED');
});
{{#if triggerEvent}}

test("the second task of a redelivered event leaves the first task's job alone", async () => {
  const { db, handler } = setup();
  db.seed(TABLE, { jobId: { S: JOB }, status: { S: 'RUNNING' }, taskArn: { S: TASK_A } });
  assert.deepEqual(await handler(stoppedTask(TASK_B, { exitCode: 0, reason: null })), { updated: false });
  assert.equal(status(db, JOB)?.status.S, 'RUNNING');
});
{{/if}}
{{/unless}}
{{/unless}}
