import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from 'aws-lambda';
import { makeHandler, type SelfInvocation } from '../src/webhook/core.js';
import { FakeDynamoDB } from './fake-dynamodb.js';

const TABLE = 'webhook-events';
const SECRET = 'test-signing-secret';
const FUNCTION_NAME = '{{name}}-webhook';
const context = { functionName: FUNCTION_NAME, awsRequestId: 'req-1', getRemainingTimeInMillis: () => 900_000 };

const SLACK_EVENT = {
  type: 'event_callback', event_id: 'Ev01', team_id: 'T1',
  event: { type: 'app_mention', text: '<@U1> summarise this thread', channel: 'C1', ts: '1.2' },
};

function setup(processEvent: (p: Record<string, unknown>) => Promise<unknown> = async () => ({ reply: 'ok' })) {
  const db = new FakeDynamoDB({ [TABLE]: ['eventId'] });
  const invocations: SelfInvocation[] = [];
  let invokeError: Error | undefined;
  const handler = makeHandler({
    db,
    lambda: {
      invoke: async (input) => {
        if (invokeError) throw invokeError;
        invocations.push(input);
      },
    },
    signingSecret: SECRET,
    tableName: TABLE,
    maxClockSkewSeconds: 300,
    maxAttempts: 3,
    processEvent,
    log: () => {},
  });
  return { db, invocations, handler, failInvoke: (e: Error) => { invokeError = e; } };
}

function signedRequest(payload: unknown, opts: { secret?: string; timestamp?: number; retryNum?: number } = {}): LambdaFunctionURLEvent {
  const body = JSON.stringify(payload);
  const ts = String(Math.floor(opts.timestamp ?? Date.now() / 1000));
  const sig = `v0=${createHmac('sha256', opts.secret ?? SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': sig };
  if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
  return { version: '2.0', rawPath: '/', headers, body, isBase64Encoded: false } as unknown as LambdaFunctionURLEvent;
}

function status(db: FakeDynamoDB, eventId: string) {
  return db.items(TABLE).find((i) => i.eventId.S === eventId)?.status?.S;
}

const asHttp = (r: unknown) => r as APIGatewayProxyStructuredResultV2;

test('the webhook leg acks and invokes itself with InvocationType Event and the marker', async () => {
  const { db, invocations, handler } = setup();
  const res = asHttp(await handler(signedRequest(SLACK_EVENT), context));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(JSON.parse(res.body ?? ''), { ok: true });
  assert.equal(invocations.length, 1);
  assert.equal(invocations[0].FunctionName, FUNCTION_NAME);
  assert.equal(invocations[0].InvocationType, 'Event');
  assert.deepEqual(JSON.parse(invocations[0].Payload), { asyncLeg: true, eventId: 'Ev01', payload: SLACK_EVENT });
  assert.equal(status(db, 'Ev01'), 'queued');
});

test('a bad signature is rejected without invoking', async () => {
  const { db, invocations, handler } = setup();
  const res = asHttp(await handler(signedRequest(SLACK_EVENT, { secret: 'wrong-secret' }), context));
  assert.equal(res.statusCode, 401);
  assert.deepEqual(invocations, []);
  assert.equal(db.items(TABLE).length, 0);
});

test('a missing signature, a stale timestamp or a tampered body is rejected', async () => {
  const { invocations, handler } = setup();
  const missing = signedRequest(SLACK_EVENT);
  delete missing.headers['x-slack-signature'];
  const stale = signedRequest(SLACK_EVENT, { timestamp: Date.now() / 1000 - 600 });
  const tampered = signedRequest(SLACK_EVENT);
  tampered.body = (tampered.body ?? '').replace('summarise', 'delete');
  for (const req of [missing, stale, tampered]) {
    assert.equal(asHttp(await handler(req, context)).statusCode, 401);
  }
  assert.deepEqual(invocations, []);
});

test('url_verification answers the challenge', async () => {
  const { invocations, handler } = setup();
  const res = asHttp(await handler(signedRequest({ type: 'url_verification', challenge: 'abc123' }), context));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(JSON.parse(res.body ?? ''), { challenge: 'abc123' });
  assert.deepEqual(invocations, []);
});

test('a repeated delivery of an event id is acked but handed off once', async () => {
  const { invocations, handler } = setup();
  const first = asHttp(await handler(signedRequest(SLACK_EVENT), context));
  const retry = asHttp(await handler(signedRequest(SLACK_EVENT, { retryNum: 1 }), context));
  assert.deepEqual([first.statusCode, retry.statusCode], [200, 200]);
  assert.deepEqual(JSON.parse(retry.body ?? ''), { ok: true, duplicate: true });
  assert.equal(invocations.length, 1);
});

test('a failed self-invoke returns 500 and forgets the event id', async () => {
  const { db, handler, failInvoke } = setup();
  failInvoke(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
  const res = asHttp(await handler(signedRequest(SLACK_EVENT), context));
  assert.equal(res.statusCode, 500);
  assert.equal(db.items(TABLE).length, 0, 'the sender\'s retry will be accepted');
});

test('the marker routes to the async leg, which does the work', async () => {
  const seen: unknown[] = [];
  const { db, handler } = setup(async (p) => { seen.push(p); return { reply: 'ok' }; });
  db.seed(TABLE, { eventId: { S: 'Ev02' }, status: { S: 'queued' } });
  const res = await handler({ asyncLeg: true, eventId: 'Ev02', payload: SLACK_EVENT }, context);
  assert.deepEqual(res, { status: 'done', result: { reply: 'ok' } });
  assert.deepEqual(seen, [SLACK_EVENT]);
  assert.equal(status(db, 'Ev02'), 'done');
});

test('a request without the marker never reaches the async leg', async () => {
  const { handler } = setup(async () => assert.fail('must not run on the webhook leg'));
  const forged = signedRequest({ asyncLeg: true, eventId: 'x', payload: {} }, { secret: 'attacker' });
  assert.equal(asHttp(await handler(forged, context)).statusCode, 401);
});

test('a duplicate async invocation is skipped', async () => {
  const { db, handler } = setup(async () => assert.fail('must not run twice'));
  db.seed(TABLE, { eventId: { S: 'Ev03' }, status: { S: 'done' } });
  assert.deepEqual(await handler({ asyncLeg: true, eventId: 'Ev03', payload: SLACK_EVENT }, context), { status: 'duplicate' });
});

test('an async failure releases the event for a retry, then fails on the last attempt', async () => {
  const { db, handler } = setup(async () => { throw new Error('model unavailable'); });
  db.seed(TABLE, { eventId: { S: 'Ev04' }, status: { S: 'queued' } });
  for (const expected of ['queued', 'queued', 'failed']) {
    // throwing lets Lambda retry, then use the on-failure destination
    await assert.rejects(handler({ asyncLeg: true, eventId: 'Ev04', payload: SLACK_EVENT }, context), /model unavailable/);
    assert.equal(status(db, 'Ev04'), expected);
  }
});
