import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { makeHandler, type Item, type SyncExecution } from '../src/api/core';

function setup(startMode: 'async' | 'sync', syncOutcome?: (input: Item) => SyncExecution) {
  const results = new Map<string, Item>();
  const started: Item[] = [];
  const handler = makeHandler({
    workflow: {
      start: async (input) => {
        started.push(JSON.parse(input));
        return 'arn:aws:states:us-east-1:123456789012:execution:workflow:exec-1';
      },
      startSync: async (input) => {
        const parsed = JSON.parse(input) as Item;
        started.push(parsed);
        return syncOutcome ? syncOutcome(parsed) : { status: 'SUCCEEDED' };
      },
    },
    results: { get: async (requestId) => results.get(requestId) },
    toWorkflowInput: (body) => body,
    startMode,
    newId: () => 'generated-id',
    log: () => {},
  });
  const post = async (body: unknown, key = 'order-1') => {
    const event = { httpMethod: 'POST', headers: { 'Idempotency-Key': key }, body: JSON.stringify(body), isBase64Encoded: false };
    const result = await handler(event as unknown as APIGatewayProxyEvent);
    return { status: result.statusCode, body: JSON.parse(result.body) as Item, headers: result.headers };
  };
  const get = async (requestId: string) => {
    const result = await handler({ httpMethod: 'GET', pathParameters: { requestId } } as unknown as APIGatewayProxyEvent);
    return { status: result.statusCode, body: JSON.parse(result.body) as Item };
  };
  return { results, started, post, get };
}

test('async mode starts the execution with the request id and answers 202', async () => {
  const { started, post } = setup('async');

  const { status, body, headers } = await post({ items: [{ sku: 'A', quantity: 1 }] });

  assert.equal(status, 202);
  assert.deepEqual(body, { requestId: 'order-1', status: 'RUNNING' });
  assert.equal(headers?.Location, '/orders/order-1');
  assert.deepEqual(started, [{ requestId: 'order-1', input: { items: [{ sku: 'A', quantity: 1 }] } }]);
});

test('a request that already has an outcome is not started again', async () => {
  const { results, started, post } = setup('async');
  results.set('order-1', { requestId: 'order-1', status: 'SUCCEEDED', result: '{"units":1}' });

  const { status, body } = await post({ items: [] });

  assert.equal(status, 200);
  assert.deepEqual(body, { requestId: 'order-1', status: 'SUCCEEDED', result: { units: 1 } });
  assert.equal(started.length, 0);
});

test('sync mode answers with the result the workflow stored', async () => {
  const state = setup('sync', (input) => {
    state.results.set(String(input.requestId), { status: 'SUCCEEDED', result: '{"units":3}' });
    return { status: 'SUCCEEDED' };
  });

  const { status, body } = await state.post({ items: [{ sku: 'A', quantity: 3 }] });

  assert.equal(status, 200);
  assert.deepEqual(body, { requestId: 'order-1', status: 'SUCCEEDED', result: { units: 3 } });
});

test('sync mode maps a rejection to 400 and any other failure to 502', async () => {
  const rejected = setup('sync', () => ({ status: 'FAILED', error: 'ValidationError', cause: 'items must be a non-empty list' }));
  const failed = setup('sync', () => ({ status: 'FAILED', error: 'WorkflowFailed' }));
  const timedOut = setup('sync', () => ({ status: 'TIMED_OUT' }));

  assert.deepEqual(await rejected.post({ items: [] }), {
    status: 400,
    body: { requestId: 'order-1', status: 'REJECTED', error: 'items must be a non-empty list' },
    headers: { 'Content-Type': 'application/json' },
  });
  assert.equal((await failed.post({ items: [] })).status, 502);
  assert.equal((await timedOut.post({ items: [] })).status, 502);
});

test('GET answers the stored outcome, or 404 while unknown or running', async () => {
  const { results, get } = setup('async');
  results.set('order-9', { status: 'REJECTED', error: 'items must be a non-empty list' });

  assert.deepEqual(await get('order-9'), { status: 200, body: { requestId: 'order-9', status: 'REJECTED', error: 'items must be a non-empty list' } });
  assert.equal((await get('nope')).status, 404);
});

test('rejects a body that is not a JSON object', async () => {
  const { started, post } = setup('async');

  assert.equal((await post([1, 2])).status, 400);
  assert.equal(started.length, 0);
});
