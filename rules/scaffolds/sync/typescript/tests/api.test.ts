import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequest, makeHandler, type Deadline, type HandleRequest, type Item } from '../src/api/core';
{{#if webhook}}
import { FakeDocumentTable } from './fake-dynamodb';
import { samplePayload, signedEvent, type SenderName } from './webhook-signing';
{{/if}}

{{#unless webhook}}
function setup(handleRequest: HandleRequest, remainingMs = 28_000) {
  const clock = { now: 1_000 };
  const logs: { level: string; message: string }[] = [];
  const handler = makeHandler({
    handleRequest,
    windowSeconds: 29,
    safetySeconds: 1.5,
    clock: () => clock.now,
    log: (level, message) => void logs.push({ level, message }),
  });
  const context = { getRemainingTimeInMillis: () => remainingMs, awsRequestId: 'req-1' };
  const call = (body: string) => handler({ body, isBase64Encoded: false } as unknown as APIGatewayProxyEvent, context);
  return { clock, logs, call };
}

const echo: HandleRequest = async (request: Item) => ({ received: Object.keys(request).sort() });

test('answers with the result in the same request', async () => {
  const { call } = setup(echo);

  const result = await call('{"b": 1, "a": 2}');

  assert.equal(result.statusCode, 200);
  assert.deepEqual(JSON.parse(result.body), { received: ['a', 'b'] });
});

test('rejects a body that is not a JSON object, and BadRequest from the work', async () => {
  const { call } = setup(async () => {
    throw new BadRequest('customerId is required');
  });

  assert.equal((await call('not json')).statusCode, 400);
  assert.equal((await call('[1]')).statusCode, 400);
  const fromWork = await call('{}');
  assert.equal(fromWork.statusCode, 400);
  assert.deepEqual(JSON.parse(fromWork.body), { error: 'customerId is required' });
});

test('the deadline stays inside the API window even with a long function timeout', async () => {
  const budgets: number[] = [];
  const { call } = setup(async (_request: Item, deadline: Deadline) => {
    budgets.push(deadline.remaining());
    return {};
  }, 900_000);

  await call('{}');

  assert.deepEqual(budgets, [29 - 1.5]);
});

test('the deadline follows the function time left when that is shorter', async () => {
  const budgets: number[] = [];
  const { call } = setup(async (_request: Item, deadline: Deadline) => {
    budgets.push(deadline.remaining());
    return {};
  }, 10_000);

  await call('{}');

  assert.deepEqual(budgets, [10 - 1.5]);
});

test('work that runs out of time gets a 504 that names the way out', async () => {
  const state = setup(async (_request: Item, deadline: Deadline) => {
    state.clock.now += 30_000; // the first step took 30 s
    deadline.check('second step');
    return { never: 'reached' };
  });

  const result = await state.call('{}');

  assert.equal(result.statusCode, 504);
  assert.match(JSON.parse(result.body).hint, /asynchronously/);
});

test('a request that took 80 % of the window is logged as a warning', async () => {
  const state = setup(async () => {
    state.clock.now += 24_000; // 24 s >= 0.8 x 29 s
    return {};
  });

  assert.equal((await state.call('{}')).statusCode, 200);

  assert.deepEqual(state.logs.filter((l) => l.level === 'warn').map((l) => l.message), ['near the synchronous limit']);
});

test('a fast request logs no warning', async () => {
  const { call, logs } = setup(echo);

  await call('{}');

  assert.deepEqual(logs.filter((l) => l.level !== 'info'), []);
});

test('an unexpected error answers 500 without internals', async () => {
  const { call } = setup(async () => {
    throw new Error('secret-internal-detail');
  });

  const result = await call('{}');

  assert.equal(result.statusCode, 500);
  assert.doesNotMatch(result.body, /secret-internal-detail/);
  assert.equal(JSON.parse(result.body).requestId, 'req-1');
});
{{/unless}}
{{#if webhook}}
const SECRET = 'test-signing-secret';
const SENDER: SenderName = '{{sender}}';
const SENDER_DEADLINE = {{#if senderSlackEvents}}3{{/if}}{{#if senderSlackCommand}}3{{/if}}{{#if senderGithub}}10{{/if}}{{#if senderStripe}}29{{/if}}{{#if senderGeneric}}29{{/if}};

function setup(handleRequest: HandleRequest, remainingMs = 28_000) {
  const clock = { now: 1_000 };
  const deliveries = new FakeDocumentTable('deliveries', ['deliveryId']);
  const handler = makeHandler({
    handleRequest,
    windowSeconds: Math.min(29, SENDER_DEADLINE), // as app.ts: the sender's deadline when it is shorter
    safetySeconds: 1.5,
    sender: SENDER,
    signingSecret: SECRET,
    deliveries,
    keepAnswerSeconds: 3600,
    now: () => 50_000,
    clock: () => clock.now,
    log: () => {},
  });
  const context = { getRemainingTimeInMillis: () => remainingMs, awsRequestId: 'req-1' };
  const call = (event: unknown) => handler(event as APIGatewayProxyEvent, context);
  return { clock, deliveries, call };
}

function hook(payload: Item = {}, deliveryId = 'delivery-1', secret = SECRET, options = {}) {
  return signedEvent(SENDER, { ...samplePayload(SENDER, deliveryId), ...payload }, secret, { deliveryId, ...options });
}

function answered(result: { statusCode: number; body: string }): Item {
  assert.equal(result.statusCode, 200, result.body);
  return JSON.parse(result.body) as Item;
}

const echo: HandleRequest = async (request: Item) => ({ received: Object.keys(request).sort() });

test('a signed delivery is answered with the result in the same request', async () => {
  const { deliveries, call } = setup(echo);
  const body = answered(await call(hook({ b: 1, a: 2 })));
{{#if senderSlackCommand}}
  // The slash command's reply: the message Slack shows in the channel.
  assert.equal(body.response_type, 'ephemeral');
  assert.ok((JSON.parse(String(body.text)) as { received: string[] }).received.includes('a'));
{{else}}
  assert.ok((body.received as string[]).includes('a') && (body.received as string[]).includes('b'));
{{/if}}
  assert.equal(deliveries.byKey.get('delivery-1')?.status, 'ANSWERED');
});

test('a redelivery gets the same answer without running the work again', async () => {
  let runs = 0;
  const { call } = setup(async () => ({ n: ++runs }));
  const first = answered(await call(hook()));
  const again = answered(await call(hook()));
  const other = answered(await call(hook({}, 'delivery-2')));
  assert.deepEqual(again, first);
  assert.equal(runs, 2);
  assert.notDeepEqual(other, first);
});

test('a redelivery while the first is still being answered is acknowledged', async () => {
  const { deliveries, call } = setup(async () => assert.fail('must not run twice'));
  deliveries.seed({ deliveryId: 'delivery-1', status: 'ANSWERING', expiresAt: 1 });
  assert.equal(answered(await call(hook())).duplicate, true);
});

test('a wrong or missing signature is 401 and runs nothing', async () => {
  const { call } = setup(async () => assert.fail('must not run'));
  assert.equal((await call(hook({}, 'delivery-1', 'wrong-secret'))).statusCode, 401);
  assert.equal((await call(hook({}, 'delivery-1', SECRET, { unsigned: true }))).statusCode, 401);
});

test("the deadline is the sender's when that is shorter than the window", async () => {
  const budgets: number[] = [];
  const { call } = setup(async (_request, deadline: Deadline) => { budgets.push(deadline.remaining()); return {}; }, 900_000);
  await call(hook());
  assert.deepEqual(budgets, [Math.min(29, SENDER_DEADLINE) - 1.5]);
});

test('work past the deadline is 504 and releases the claim for the retry', async () => {
  const holder: { clock?: { now: number } } = {};
  const { clock, deliveries, call } = setup(async (_request, deadline: Deadline) => {
    holder.clock!.now += 30_000;
    deadline.check('second step');
    return {};
  });
  holder.clock = clock;
  const result = await call(hook());
  assert.equal(result.statusCode, 504);
  assert.match(JSON.parse(result.body).hint, /asynchronously/);
  assert.equal(deliveries.byKey.get('delivery-1'), undefined);
});

test('a bad delivery is 400 and a crash 500, and both release the claim', async () => {
  const bad = setup(async () => { throw new BadRequest('not an event this app handles'); });
  assert.equal((await bad.call(hook())).statusCode, 400);
  assert.equal(bad.deliveries.byKey.get('delivery-1'), undefined);
  const crash = setup(async () => { throw new Error('secret internals'); });
  const result = await crash.call(hook());
  assert.equal(result.statusCode, 500);
  assert.ok(!result.body.includes('secret internals'));
  assert.equal(crash.deliveries.byKey.get('delivery-1'), undefined);
});
{{#if senderSlackEvents}}

test("Slack's url_verification is answered with its challenge", async () => {
  const { call } = setup(async () => assert.fail('must not run'));
  const result = await call(signedEvent(SENDER, { type: 'url_verification', challenge: 'c-123', token: 't' }, SECRET));
  assert.deepEqual(answered(result), { challenge: 'c-123' });
});
{{/if}}
{{/if}}
