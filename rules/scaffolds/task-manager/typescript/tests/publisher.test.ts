import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DynamoDBRecord } from 'aws-lambda';
import { makeHandler } from '../src/publisher/core.js';
import { FakeEventBridge } from './fake-eventbridge.js';

type Img = Record<string, { S: string }>;

function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', next?: Img, prev?: Img, seq = '100'): DynamoDBRecord {
  return {
    eventID: `ev-${seq}`, eventName, eventSource: 'aws:dynamodb',
    dynamodb: { Keys: { taskId: (next ?? prev ?? {}).taskId }, NewImage: next, OldImage: prev, SequenceNumber: seq, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}

function task(status: string, extra: Record<string, string> = {}): Img {
  const img: Img = {
    taskId: { S: 't1' }, taskType: { S: 'report-export' }, status: { S: status },
    payload: { S: JSON.stringify({ rows: 5 }) }, updatedAt: { S: '2026-01-01T00:00:00Z' },
  };
  for (const [k, v] of Object.entries(extra)) img[k] = { S: v };
  return img;
}

function setup() {
  const events = new FakeEventBridge();
  const handler = makeHandler({ events, eventBusName: 'tasks', source: 'task-manager', log: () => {} });
  return { events, handler };
}

test('an INSERT publishes TaskCreated with the task type', async () => {
  const { events, handler } = setup();
  assert.deepEqual(await handler({ Records: [record('INSERT', task('CREATED'))] }), { batchItemFailures: [] });
  const [e] = events.events();
  assert.equal(e.source, 'task-manager');
  assert.equal(e.detailType, 'TaskCreated');
  assert.equal(e.detail.taskType, 'report-export');
  assert.equal(e.detail.taskId, 't1');
  assert.deepEqual(e.detail.payload, { rows: 5 });
  assert.equal(e.detail.eventId, 'ev-100');
  assert.equal(events.published[0].EventBusName, 'tasks');
});

test('status changes publish TaskRunning, TaskSuccessful and TaskFailed', async () => {
  const { events, handler } = setup();
  await handler({
    Records: [
      record('MODIFY', task('RUNNING'), task('CREATED'), '101'),
      record('MODIFY', task('SUCCESSFUL', { result: '{"ok":1}' }), task('RUNNING'), '102'),
      record('MODIFY', task('FAILED', { error: 'boom' }), task('RUNNING'), '103'),
    ],
  });
  const published = events.events();
  assert.deepEqual(published.map((e) => e.detailType), ['TaskRunning', 'TaskSuccessful', 'TaskFailed']);
  assert.deepEqual(published[1].detail.result, { ok: 1 });
  assert.equal(published[2].detail.error, 'boom');
  assert.ok(published.every((e) => e.detail.taskType === 'report-export'));
});

test('changes that are not status changes publish nothing', async () => {
  const { events, handler } = setup();
  const result = await handler({
    Records: [
      record('MODIFY', task('RUNNING', { note: 'progress 50%' }), task('RUNNING')),
      record('REMOVE', undefined, task('SUCCESSFUL')),
      record('INSERT', task('RUNNING')),
    ],
  });
  assert.deepEqual(result, { batchItemFailures: [] });
  assert.deepEqual(events.published, []);
});

test('more than ten records are sent in chunks of ten', async () => {
  const { events, handler } = setup();
  const records = Array.from({ length: 12 }, (_, i) => record('INSERT', { ...task('CREATED'), taskId: { S: `t${i}` } }, undefined, String(100 + i)));
  assert.deepEqual(await handler({ Records: records }), { batchItemFailures: [] });
  assert.deepEqual(events.calls, [10, 2]);
  assert.equal(events.published.length, 12);
});

test('a rejected entry reports its record for retry and stops there', async () => {
  const { events, handler } = setup();
  events.rejectInNextCall = [1];
  const records = Array.from({ length: 3 }, (_, i) => record('INSERT', { ...task('CREATED'), taskId: { S: `t${i}` } }, undefined, String(200 + i)));
  assert.deepEqual(await handler({ Records: records }), { batchItemFailures: [{ itemIdentifier: '201' }] });
});

test('a PutEvents exception reports the first record of the chunk', async () => {
  const { handler } = makeFailing();
  const records = [record('INSERT', task('CREATED'), undefined, '300')];
  assert.deepEqual(await handler({ Records: records }), { batchItemFailures: [{ itemIdentifier: '300' }] });
});

function makeFailing() {
  const handler = makeHandler({
    events: { putEvents: async () => { throw new Error('network down'); } },
    eventBusName: 'tasks', source: 'task-manager', log: () => {},
  });
  return { handler };
}
