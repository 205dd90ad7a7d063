import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequest, makeHandler, type Deadline, type HandleRequest, type Item } from '../src/api/core';

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
