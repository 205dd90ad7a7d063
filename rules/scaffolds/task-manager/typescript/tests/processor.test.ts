import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventBridgeEvent } from 'aws-lambda';
import { makeHandler, TaskFailed, type TaskCreatedDetail } from '../src/processor/core.js';
import { FakeEventBridge } from './fake-eventbridge.js';

function taskCreated(payload: Record<string, unknown>, taskId = 't1'): EventBridgeEvent<'TaskCreated', TaskCreatedDetail> {
  return {
    version: '0', id: 'e-1', account: '123456789012', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [],
    source: 'task-manager', 'detail-type': 'TaskCreated',
    detail: { eventId: 'ev-1', taskId, taskType: 'report-export', status: 'CREATED', payload },
  };
}

function setup(processTask: (id: string, p: Record<string, unknown>) => Promise<unknown>) {
  const events = new FakeEventBridge();
  const stored = new Map<string, string>();
  const results = { bucket: 'results', put: async (key: string, body: string) => void stored.set(key, body) };
  const handler = makeHandler({ events, eventBusName: 'tasks', source: 'task-processor', results, processTask, log: () => {} });
  return { events, stored, handler };
}

const demo = async (taskId: string, p: Record<string, unknown>) => {
  if (typeof p.rows !== 'number') throw new TaskFailed('payload.rows must be a non-negative integer');
  return { rowsExported: p.rows, location: `s3://b/exports/${taskId}.csv` };
};

test('reports RUNNING, then SUCCESSFUL with the result', async () => {
  const { events, handler } = setup(demo);
  assert.deepEqual(await handler(taskCreated({ rows: 3 })), { taskId: 't1', status: 'SUCCESSFUL' });
  const [running, done] = events.events();
  assert.deepEqual(running, { detailType: 'TaskUpdated', source: 'task-processor', detail: { taskId: 't1', status: 'RUNNING' } });
  assert.equal(done.detailType, 'TaskUpdated');
  assert.equal(done.detail.status, 'SUCCESSFUL');
  assert.equal(done.detail.result.rowsExported, 3);
});

test('TaskFailed is reported as FAILED without throwing', async () => {
  const { events, handler } = setup(demo);
  assert.equal((await handler(taskCreated({ rows: 'many' }))).status, 'FAILED');
  const [running, failed] = events.events();
  assert.equal(running.detail.status, 'RUNNING');
  assert.equal(failed.detail.status, 'FAILED');
  assert.match(failed.detail.error, /non-negative/);
});

test('unexpected errors propagate so Lambda retries, and no FAILED is reported', async () => {
  const { events, handler } = setup(async () => { throw new Error('database unreachable'); });
  await assert.rejects(handler(taskCreated({ rows: 1 })), /database unreachable/);
  assert.deepEqual(events.events().map((e) => e.detail.status), ['RUNNING']);
});

test('a TaskUpdated the bus rejects is an error (the invocation is retried)', async () => {
  const { events, handler } = setup(demo);
  events.rejectInNextCall = [0];
  await assert.rejects(handler(taskCreated({ rows: 1 })), /not accepted/);
});

test('a result too big for an event goes to S3 and the event points at it', async () => {
  const big = { rows: Array.from({ length: 300 }, () => 'x'.repeat(1000)) }; // about 300 KB: over an event's 256 KB
  const { events, stored, handler } = setup(async () => big);
  assert.equal((await handler(taskCreated({ rows: 1 }))).status, 'SUCCESSFUL');
  const done = events.events().at(-1)!;
  assert.equal(done.detail.result, undefined);
  assert.deepEqual([done.detail.resultLocation.bucket, done.detail.resultLocation.key], ['results', 'results/t1.json']);
  assert.deepEqual(JSON.parse(stored.get('results/t1.json') ?? 'null'), big);
});

test('a small result stays in the event', async () => {
  const { events, stored, handler } = setup(demo);
  await handler(taskCreated({ rows: 2 }));
  assert.equal(events.events().at(-1)!.detail.result.rowsExported, 2);
  assert.equal(stored.size, 0);
});
