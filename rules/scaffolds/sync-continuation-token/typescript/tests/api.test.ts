import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequest, makeHandler, type ContinuationTable, type Item, type RunStep, type Update } from '../src/api/core';
import { FakeDocumentTable } from './fake-dynamodb';

/** The continuation table: the shared fake evaluates the lease condition core.ts sends, as DynamoDB would. */
class FakeTable implements ContinuationTable {
  readonly table = new FakeDocumentTable('continuations', ['token']);
  /** The stored items by key, as the tests seed and read them. */
  readonly items = this.table.byKey;

  async put(item: Item, condition: Omit<Update, 'UpdateExpression'>): Promise<void> {
    await this.table.put({ Item: item, ...condition });
  }

  async get(token: string): Promise<Item | undefined> {
    return this.table.get({ Key: { token } });
  }

  async update(token: string, u: Update): Promise<Item> {
    return this.table.update({ Key: { token }, ...u });
  }

  async delete(token: string): Promise<void> {
    await this.table.delete({ Key: { token } });
  }
}

const ITEMS = Array.from({ length: 10 }, (_, n) => `item-${n}`);

function setup(secondsPerStep: number) {
  const clock = { ms: 0 };
  const table = new FakeTable();
  const seen: string[] = [];
  let tokens = 0;
  let failNext = false;
  const runStep: RunStep = async (input, cursor, partial) => {
    if (failNext) throw new Error('flaky dependency');
    const items = input.items;
    if (!Array.isArray(items)) throw new BadRequest('items must be a list');
    clock.ms += secondsPerStep * 1000;
    const index = typeof cursor === 'number' ? cursor : 0;
    seen.push(String(items[index]));
    const count = (typeof partial === 'number' ? partial : 0) + 1;
    return { cursor: index + 1, partial: count, done: index + 1 >= items.length };
  };
  const handler = makeHandler({
    table,
    runStep,
    newToken: () => `token-${++tokens}`,
    windowSeconds: 29,
    safetySeconds: 2,
    maxStepSeconds: 5,
    tokenTtlSeconds: 3600,
    clock: () => clock.ms,
    now: () => 1_000_000,
    log: () => {},
  });
  const call = async (body: unknown) => {
    // A fresh 28 s function timeout per call, running down with the fake clock.
    const endsAt = clock.ms + 28_000;
    const context = { getRemainingTimeInMillis: () => endsAt - clock.ms, awsRequestId: 'req-1' };
    const result = await handler({ body: JSON.stringify(body), isBase64Encoded: false } as unknown as APIGatewayProxyEvent, context);
    return { status: result.statusCode, body: JSON.parse(result.body) as Item };
  };
  return { table, seen, call, failNextStep: () => (failNext = true) };
}

test('short work completes in one call without a token', async () => {
  const { table, call } = setup(1);

  const { status, body } = await call({ items: ITEMS.slice(0, 3) });

  assert.equal(status, 200);
  assert.deepEqual(body, { status: 'complete', result: 3, steps: 3 });
  assert.equal(table.items.size, 0);
});

test('stops within the time budget and returns a continuation token', async () => {
  const { table, call } = setup(4);

  const { status, body } = await call({ items: ITEMS });

  // Budget: min(28 s left, 29 s window) - 2 s safety = 26 s; a step starts only with >= 5 s left -> 6 steps.
  assert.equal(status, 200);
  assert.deepEqual(body, { status: 'in_progress', continuationToken: 'token-1', steps: 6 });
  const saved = table.items.get('token-1');
  assert.equal(saved?.cursor, '6');
  assert.equal(saved?.expiresAt, 1_000_000 + 3600);
  assert.equal(saved?.leaseUntil, undefined);
});

test('resumes from the token and processes every item exactly once', async () => {
  const { table, seen, call } = setup(4);

  let response = await call({ items: ITEMS });
  let calls = 1;
  while (response.body.status === 'in_progress') {
    response = await call({ continuationToken: response.body.continuationToken });
    calls += 1;
  }

  assert.equal(calls, 2);
  assert.deepEqual(seen, ITEMS);
  assert.deepEqual(response.body, { status: 'complete', result: 10, steps: 10 });
  assert.equal(table.items.size, 0, 'the finished job state is deleted');
});

test('an unknown or expired token answers 410', async () => {
  const { table, call } = setup(10);
  const first = await call({ items: ITEMS });
  const token = String(first.body.continuationToken);
  table.items.set(token, { ...table.items.get(token)!, expiresAt: 999_999 }); // expired, TTL has not deleted it yet

  assert.equal((await call({ continuationToken: 'no-such-token' })).status, 410);
  assert.equal((await call({ continuationToken: token })).status, 410);
});

test('a token leased by another call answers 409', async () => {
  const { table, call } = setup(10);
  const first = await call({ items: ITEMS });
  const leased = String(first.body.continuationToken);
  table.items.set(leased, { ...table.items.get(leased)!, leaseUntil: 1_000_030 });

  assert.equal((await call({ continuationToken: first.body.continuationToken })).status, 409);
});

test('a failed step keeps the saved progress and releases the lease for a retry', async () => {
  const { table, call, failNextStep } = setup(10);
  const first = await call({ items: ITEMS });
  const token = String(first.body.continuationToken);
  failNextStep();

  assert.equal((await call({ continuationToken: token })).status, 500);

  assert.equal(table.items.get(token)?.cursor, '3'); // three 10 s steps fit the first call's 26 s budget
  assert.equal(table.items.get(token)?.leaseUntil, undefined);
});

test('bad input answers 400', async () => {
  const { call } = setup(1);

  assert.equal((await call({ items: 'not a list' })).status, 400);
  assert.equal((await call({ continuationToken: 42 })).status, 400);
});
