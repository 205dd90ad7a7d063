import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { makeHandler } from '../src/approval/core';

const ID = 'eyJhcm4iOiJ4In0=';

function decide(body: unknown, callbackId = ID): APIGatewayProxyEvent {
  return { pathParameters: { callbackId }, body: JSON.stringify(body), isBase64Encoded: false } as unknown as APIGatewayProxyEvent;
}

test('sends the decision as the callback result', async () => {
  const sent: [string, string][] = [];
  const handler = makeHandler({ sendSuccess: async (id, result) => { sent.push([id, result]); } });
  assert.equal((await handler(decide({ approved: true, approver: 'ana' }))).statusCode, 200);
  assert.deepEqual(sent, [[ID, JSON.stringify({ approved: true, approver: 'ana', reason: '' })]]);
});

test('an answered or timed-out callback is 409; bad ids and bodies are 400', async () => {
  const timedOut = Object.assign(new Error('x'), { name: 'CallbackTimeoutException' });
  const handler = makeHandler({ sendSuccess: async () => { throw timedOut; } });
  assert.equal((await handler(decide({ approved: false }))).statusCode, 409);
  assert.equal((await handler(decide({ approved: true }, 'not an id!'))).statusCode, 400);
  assert.equal((await handler(decide({ approved: 'yes' }))).statusCode, 400);
});
