import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { makeHandler } from '../src/start/core';

function post(body: unknown, headers: Record<string, string> = {}): APIGatewayProxyEvent {
  return { body: JSON.stringify(body), headers, isBase64Encoded: false } as unknown as APIGatewayProxyEvent;
}

test('starts the execution asynchronously under the idempotency key and answers 202', async () => {
  const started: { name: string; payload: string }[] = [];
  const handler = makeHandler({ startExecution: async (name, payload) => { started.push({ name, payload }); return 'arn:x'; }, newId: () => 'new-id' });
  const result = await handler(post({ amount: 5 }, { 'Idempotency-Key': 'key-1' }));
  assert.equal(result.statusCode, 202);
  assert.deepEqual(JSON.parse(result.body), { executionName: 'key-1', status: 'RUNNING', executionArn: 'arn:x' });
  assert.deepEqual(started, [{ name: 'key-1', payload: JSON.stringify({ amount: 5, orderId: 'key-1' }) }]);
});

test('the same key for a different order is 409; a failed start is 503; bad input is 400', async () => {
  const conflict = Object.assign(new Error('x'), { name: 'DurableExecutionAlreadyStartedException' });
  const failing = makeHandler({ startExecution: async () => { throw conflict; }, newId: () => 'id' });
  assert.equal((await failing(post({ orderId: 'o' }))).statusCode, 409);
  const down = makeHandler({ startExecution: async () => { throw new Error('ServiceException'); }, newId: () => 'id' });
  assert.equal((await down(post({ orderId: 'o' }))).statusCode, 503);
  assert.equal((await down({ body: '[1]', headers: {} } as unknown as APIGatewayProxyEvent)).statusCode, 400);
  assert.equal((await down(post({}, { 'idempotency-key': 'no spaces' }))).statusCode, 400);
});
