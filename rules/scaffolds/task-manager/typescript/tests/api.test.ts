import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { makeHandler, taskIdForKey } from '../src/api/core.js';
import { FakeDynamoDB } from './fake-dynamodb.js';

const TABLE = 'task-status';

function setup() {
  const db = new FakeDynamoDB({ [TABLE]: ['taskId'] });
  let n = 0;
  return { db, handler: makeHandler({ db, tableName: TABLE, taskTtlDays: 30, newId: () => `id-${++n}`, log: () => {} }) };
}

function httpEvent(routeKey: string, body?: unknown, headers: Record<string, string> = {}, pathParameters?: Record<string, string>) {
  return {
    version: '2.0', routeKey, rawPath: '/', rawQueryString: '', headers, pathParameters,
    body: body === undefined ? undefined : JSON.stringify(body), isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

test('create writes a CREATED task with its type', async () => {
  const { db, handler } = setup();
  const res = await handler(httpEvent('POST /tasks', { taskType: 'report-export', payload: { rows: 3 } }));
  assert.equal(res.statusCode, 202);
  assert.equal(JSON.parse(res.body ?? '').taskId, 'id-1');
  const [t] = db.items(TABLE);
  assert.equal(t.status.S, 'CREATED');
  assert.equal(t.taskType.S, 'report-export');
  assert.deepEqual(JSON.parse(t.payload.S ?? ''), { rows: 3 });
});

test('the same Idempotency-Key returns the same task', async () => {
  const { db, handler } = setup();
  const headers = { 'idempotency-key': 'export-2026-01' };
  const first = await handler(httpEvent('POST /tasks', { taskType: 'report-export' }, headers));
  const second = await handler(httpEvent('POST /tasks', { taskType: 'report-export' }, headers));
  assert.deepEqual([first.statusCode, second.statusCode], [202, 200]);
  assert.equal(JSON.parse(second.body ?? '').taskId, taskIdForKey('report-export', 'export-2026-01'));
  assert.equal(db.items(TABLE).length, 1);
});

test('create validates the task type and payload', async () => {
  const { db, handler } = setup();
  for (const body of [{ payload: {} }, { taskType: 'Bad Type!' }, { taskType: 'x', payload: [1] }]) {
    assert.equal((await handler(httpEvent('POST /tasks', body))).statusCode, 400);
  }
  assert.equal(db.items(TABLE).length, 0);
});

test('get returns status and result', async () => {
  const { db, handler } = setup();
  db.seed(TABLE, { taskId: { S: 't1' }, taskType: { S: 'report-export' }, status: { S: 'SUCCESSFUL' }, result: { S: '{"url":"s3://b/k"}' }, payload: { S: '{}' } });
  const res = await handler(httpEvent('GET /tasks/{taskId}', undefined, {}, { taskId: 't1' }));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(JSON.parse(res.body ?? ''), { taskId: 't1', taskType: 'report-export', status: 'SUCCESSFUL', result: { url: 's3://b/k' } });
});

test('get of an unknown task is 404', async () => {
  const { handler } = setup();
  assert.equal((await handler(httpEvent('GET /tasks/{taskId}', undefined, {}, { taskId: 'nope' }))).statusCode, 404);
});
