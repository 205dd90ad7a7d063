import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { jobIdForKey, makeHandler } from '../src/api/core.js';
import { FakeDynamoDB } from './fake-dynamodb.js';

const TABLE = 'jobs';

function setup() {
  const db = new FakeDynamoDB({ [TABLE]: ['jobId'] });
  let n = 0;
  const handler = makeHandler({ db, tableName: TABLE, jobTtlDays: 7, newId: () => `id-${++n}`, log: () => {} });
  return { db, handler };
}

function httpEvent(routeKey: string, body?: unknown, headers: Record<string, string> = {}, pathParameters?: Record<string, string>) {
  return {
    version: '2.0', routeKey, rawPath: '/', rawQueryString: '', headers, pathParameters,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

test('submit writes a pending job and returns its id', async () => {
  const { db, handler } = setup();
  const res = await handler(httpEvent('POST /jobs', { input: { text: 'hi' } }));
  assert.equal(res.statusCode, 202);
  const body = JSON.parse(res.body ?? '');
  assert.deepEqual(body, { jobId: 'id-1', status: 'pending', statusUrl: '/jobs/id-1' });
  const [item] = db.items(TABLE);
  assert.equal(item.status.S, 'pending');
  assert.deepEqual(JSON.parse(item.input.S ?? ''), { text: 'hi' });
  assert.ok(Number(item.expiresAt.N) > 0);
});

test('submitting with the same Idempotency-Key returns the same job', async () => {
  const { db, handler } = setup();
  const headers = { 'idempotency-key': 'order-42' };
  const first = await handler(httpEvent('POST /jobs', { input: { text: 'a' } }, headers));
  const second = await handler(httpEvent('POST /jobs', { input: { text: 'a' } }, headers));
  assert.deepEqual([first.statusCode, second.statusCode], [202, 200]);
  assert.equal(JSON.parse(first.body ?? '').jobId, jobIdForKey('order-42'));
  assert.equal(JSON.parse(second.body ?? '').jobId, jobIdForKey('order-42'));
  assert.equal(db.items(TABLE).length, 1);
});

test('submit rejects a body without input, or that is not JSON', async () => {
  const { db, handler } = setup();
  assert.equal((await handler(httpEvent('POST /jobs', { text: 'x' }))).statusCode, 400);
  assert.equal((await handler(httpEvent('POST /jobs', '{not json'))).statusCode, 400);
  assert.equal(db.items(TABLE).length, 0);
});

test('status returns the result of a complete job', async () => {
  const { db, handler } = setup();
  db.seed(TABLE, { jobId: { S: 'j1' }, status: { S: 'complete' }, result: { S: '{"n":1}' }, input: { S: '{}' } });
  const res = await handler(httpEvent('GET /jobs/{jobId}', undefined, {}, { jobId: 'j1' }));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(JSON.parse(res.body ?? ''), { jobId: 'j1', status: 'complete', result: { n: 1 } });
});

test('status of an unknown job is 404', async () => {
  const { handler } = setup();
  const res = await handler(httpEvent('GET /jobs/{jobId}', undefined, {}, { jobId: 'nope' }));
  assert.equal(res.statusCode, 404);
});
