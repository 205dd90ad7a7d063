import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { makeHandler } from '../src/approval/core';

const ID = 'eyJhcm4iOiJ4In0=';
const APPROVER = 'arn:aws:sts::123456789012:assumed-role/Approvers/ana';

function decide(body: unknown, callbackId = ID, caller = APPROVER): APIGatewayProxyEvent {
  const requestContext = { identity: caller ? { userArn: caller } : {} };
  return { pathParameters: { callbackId }, body: JSON.stringify(body), isBase64Encoded: false, requestContext } as unknown as APIGatewayProxyEvent;
}

test('sends the decision as the callback result', async () => {
  const sent: [string, string][] = [];
  const handler = makeHandler({ sendSuccess: async (id, result) => { sent.push([id, result]); } });
  assert.equal((await handler(decide({ approved: true, approver: 'ana' }))).statusCode, 200);
  assert.deepEqual(sent, [[ID, JSON.stringify({ approved: true, approver: APPROVER, reason: '' })]]);
});

test('the approver is the signed caller, never the name in the body', async () => {
  const sent: string[] = [];
  const handler = makeHandler({ sendSuccess: async (_id, result) => { sent.push(result); } });
  // The body names the CFO; the request was signed by ana: ana approved.
  assert.equal((await handler(decide({ approved: true, approver: 'the-cfo' }))).statusCode, 200);
  assert.equal(JSON.parse(sent[0]).approver, APPROVER);
});

test('a request without a caller identity is 401 and sends nothing', async () => {
  const sent: string[] = [];
  const handler = makeHandler({ sendSuccess: async (_id, result) => { sent.push(result); } });
  assert.equal((await handler(decide({ approved: true, approver: 'ana' }, ID, ''))).statusCode, 401);
  assert.deepEqual(sent, []);
});

test('an answered or timed-out callback is 409; bad ids and bodies are 400', async () => {
  const timedOut = Object.assign(new Error('x'), { name: 'CallbackTimeoutException' });
  const handler = makeHandler({ sendSuccess: async () => { throw timedOut; } });
  assert.equal((await handler(decide({ approved: false }))).statusCode, 409);
  assert.equal((await handler(decide({ approved: true }, 'not an id!'))).statusCode, 400);
  assert.equal((await handler(decide({ approved: 'yes' }))).statusCode, 400);
});
