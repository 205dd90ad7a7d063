import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from 'aws-lambda';
import { makeHandler, type AsyncLegEvent, type SelfInvocation } from '../src/webhook/core.js';
import { FakeDynamoDB } from './fake-dynamodb.js';
import { samplePayload, signedEvent, usesTimestamp, type SenderName, type SignOptions } from './webhook-signing.js';

const TABLE = 'webhook-events';
const SECRET = 'test-signing-secret';
const SENDER: SenderName = '{{sender}}';
const FUNCTION_NAME = '{{name}}-webhook';
const context = { functionName: FUNCTION_NAME, awsRequestId: 'req-1', getRemainingTimeInMillis: () => 900_000 };

const SLACK_EVENT = samplePayload(SENDER, 'Ev01');

function setup(processEvent: (p: Record<string, unknown>) => Promise<unknown> = async () => ({ reply: 'ok' }), sender: SenderName = SENDER) {
  const db = new FakeDynamoDB({ [TABLE]: ['eventId'] });
  const invocations: SelfInvocation[] = [];
  const posted: [string, unknown][] = [];
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
    sender,
    postJson: async (url, body) => (posted.push([url, body]), 200),
    tableName: TABLE,
    maxClockSkewSeconds: 300,
    maxAttempts: 3,
    processEvent,
    log: () => {},
  });
  return { db, invocations, posted, handler, failInvoke: (e: Error) => { invokeError = e; } };
}

function signedRequest(payload: Record<string, unknown>, opts: SignOptions & { secret?: string; sender?: SenderName } = {}): LambdaFunctionURLEvent {
  const event = signedEvent(opts.sender ?? SENDER, payload, opts.secret ?? SECRET, { deliveryId: 'Ev01', ...opts });
  return { version: '2.0', rawPath: '/', ...event } as unknown as LambdaFunctionURLEvent;
}

function expectedLeg(eventId: string, payload: Record<string, unknown>): AsyncLegEvent {
  const leg: AsyncLegEvent = { asyncLeg: true, eventId, payload };
  if (typeof payload.response_url === 'string') leg.responseUrl = payload.response_url;
  return leg;
}

function status(db: FakeDynamoDB, eventId: string) {
  return db.items(TABLE).find((i) => i.eventId.S === eventId)?.status?.S;
}

const asHttp = (r: unknown) => r as APIGatewayProxyStructuredResultV2;

test('the webhook leg acks and invokes itself with InvocationType Event and the marker', async () => {
  const { db, invocations, handler } = setup();
  const res = asHttp(await handler(signedRequest(SLACK_EVENT), context));
  assert.equal(res.statusCode, 200);
  assert.equal(JSON.parse(res.body ?? '').error, undefined);
  assert.equal(invocations.length, 1);
  assert.equal(invocations[0].FunctionName, FUNCTION_NAME);
  assert.equal(invocations[0].InvocationType, 'Event');
  assert.deepEqual(JSON.parse(invocations[0].Payload), expectedLeg('Ev01', SLACK_EVENT));
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
  const missing = signedRequest(SLACK_EVENT, { unsigned: true });
  const tampered = signedRequest(SLACK_EVENT);
  tampered.body = (tampered.body ?? '').replace('1', '2');
  const rejected = [missing, tampered];
  // A sender that signs no timestamp (github, generic) relies on the delivery-id dedupe against replays.
  if (usesTimestamp(SENDER)) rejected.push(signedRequest(SLACK_EVENT, { nowSeconds: Date.now() / 1000 - 600 }));
  for (const req of rejected) {
    assert.equal(asHttp(await handler(req, context)).statusCode, 401);
  }
  assert.deepEqual(invocations, []);
});

test('a base64-encoded body is verified and accepted', async () => {
  const { invocations, handler } = setup();
  assert.equal(asHttp(await handler(signedRequest(SLACK_EVENT, { base64: true }), context)).statusCode, 200);
  assert.equal(invocations.length, 1);
});

test('Slack url_verification answers the challenge', async () => {
  const { invocations, handler } = setup(undefined, 'slack-events');
  const res = asHttp(await handler(signedRequest({ type: 'url_verification', challenge: 'abc123' }, { sender: 'slack-events' }), context));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(JSON.parse(res.body ?? ''), { challenge: 'abc123' });
  assert.deepEqual(invocations, []);
});

test('a repeated delivery of an event id is acked but handed off once', async () => {
  const { invocations, handler } = setup();
  const first = asHttp(await handler(signedRequest(SLACK_EVENT), context));
  const retry = asHttp(await handler(signedRequest(SLACK_EVENT), context));
  assert.deepEqual([first.statusCode, retry.statusCode], [200, 200]);
  assert.equal(JSON.parse(retry.body ?? '').duplicate, true);
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
  const forged = signedRequest({ ...SLACK_EVENT, asyncLeg: true, eventId: 'x', payload: {} }, { secret: 'attacker' });
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

test('a signed, form-encoded slash command gets 200 and its response_url gets the late answer', async () => {
  const command = samplePayload('slack-command', 'trig-7');
  const { invocations, posted, handler } = setup(async (p) => ({ reply: `report for ${String(p.text)}` }), 'slack-command');

  const ack = asHttp(await handler(signedRequest(command, { sender: 'slack-command' }), context));

  assert.equal(ack.statusCode, 200); // form-encoded, answered within Slack's 3 s
  assert.equal(JSON.parse(ack.body ?? '').response_type, 'ephemeral');
  const leg = JSON.parse(invocations[0].Payload) as AsyncLegEvent;
  assert.deepEqual(leg, expectedLeg('trig-7', command));
  assert.equal((await handler(leg, context) as { status: string }).status, 'done');
  assert.deepEqual(posted, [[command.response_url, { response_type: 'in_channel', text: 'report for weekly' }]]);
});
