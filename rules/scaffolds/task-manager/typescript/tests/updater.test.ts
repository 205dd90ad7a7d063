import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventBridgeEvent } from 'aws-lambda';
import { makeHandler } from '../src/updater/core.js';
import { FakeDynamoDB } from './fake-dynamodb.js';

const TABLE = 'task-status';

function setup() {
  const db = new FakeDynamoDB({ [TABLE]: ['taskId'] });
  return { db, handler: makeHandler({ db, tableName: TABLE, log: () => {} }) };
}

function event(detailType: string, detail: Record<string, unknown>, source = 'task-processor') {
  return { version: '0', id: 'x', account: '1', time: '', region: 'us-east-1', resources: [], source, 'detail-type': detailType, detail } as EventBridgeEvent<string, Record<string, unknown>>;
}

const taskUpdated = (taskId: string, status: string, extra: Record<string, unknown> = {}) => event('TaskUpdated', { taskId, status, ...extra });

function seed(db: FakeDynamoDB, taskId: string, status: string) {
  db.seed(TABLE, { taskId: { S: taskId }, taskType: { S: 'report-export' }, status: { S: status } });
}

const item = (db: FakeDynamoDB, taskId: string) => db.items(TABLE).find((i) => i.taskId.S === taskId);

test('forward transitions are applied', async () => {
  const { db, handler } = setup();
  seed(db, 't1', 'CREATED');
  assert.deepEqual(await handler(taskUpdated('t1', 'RUNNING')), { applied: true });
  assert.deepEqual(await handler(taskUpdated('t1', 'SUCCESSFUL', { result: { rows: 3 } })), { applied: true });
  const t = item(db, 't1');
  assert.equal(t?.status.S, 'SUCCESSFUL');
  assert.deepEqual(JSON.parse(t?.result.S ?? ''), { rows: 3 });
  assert.ok(t?.startedAt && t?.completedAt);
});

for (const [current, update] of [['RUNNING', 'RUNNING'], ['SUCCESSFUL', 'RUNNING'], ['SUCCESSFUL', 'FAILED'], ['FAILED', 'SUCCESSFUL']]) {
  test(`${update} on a ${current} task is dropped`, async () => {
    const { db, handler } = setup();
    seed(db, 't2', current);
    assert.deepEqual(await handler(taskUpdated('t2', update, { error: 'late' })), { applied: false });
    assert.equal(item(db, 't2')?.status.S, current);
  });
}

test('an update for an unknown task creates nothing', async () => {
  const { db, handler } = setup();
  assert.deepEqual(await handler(taskUpdated('ghost', 'RUNNING')), { applied: false });
  assert.equal(db.items(TABLE).length, 0);
});

test('an unknown status is ignored without a write', async () => {
  const { db, handler } = setup();
  seed(db, 't3', 'CREATED');
  assert.deepEqual(await handler(taskUpdated('t3', 'PAUSED')), { applied: false });
  assert.equal(db.calls.length, 0);
});

for (const source of ['task-manager', 'someone-else']) {
  test(`a TaskUpdated from ${source} (not a processor) is ignored`, async () => {
    const { db, handler } = setup();
    seed(db, 't5', 'RUNNING');
    const forged = event('TaskUpdated', { taskId: 't5', status: 'SUCCESSFUL', result: { x: 1 } }, source);
    assert.deepEqual(await handler(forged), { applied: false });
    assert.equal(item(db, 't5')?.status.S, 'RUNNING');
  });
}

test('a result in S3 is recorded as its location', async () => {
  const { db, handler } = setup();
  seed(db, 't6', 'RUNNING');
  const resultLocation = { bucket: 'results', key: 'results/t6.json', bytes: 300000 };
  assert.deepEqual(await handler(event('TaskUpdated', { taskId: 't6', status: 'SUCCESSFUL', resultLocation })), { applied: true });
  assert.equal(item(db, 't6')?.status.S, 'SUCCESSFUL');
  assert.deepEqual(JSON.parse(item(db, 't6')?.resultLocation.S ?? 'null'), resultLocation);
  assert.equal(item(db, 't6')?.result, undefined);
});

test('a processor invocation failure marks the task FAILED', async () => {
  const { db, handler } = setup();
  seed(db, 't4', 'RUNNING');
  const failure = event('Lambda Function Invocation Result - Failure', {
    requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: { 'detail-type': 'TaskCreated', detail: { taskId: 't4' } },
    responsePayload: { errorType: 'Error', errorMessage: 'database unreachable' },
  }, 'lambda');
  assert.deepEqual(await handler(failure), { applied: true });
  assert.equal(item(db, 't4')?.status.S, 'FAILED');
  assert.match(item(db, 't4')?.error.S ?? '', /database unreachable/);
});
