import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequest, makeHandler, type Item } from '../src/producer/core';

function setup(validateTask = async (payload: Item): Promise<Item> => payload) {
  const sent: Item[] = [];
  let ids = 0;
  const handler = makeHandler({
    queue: { send: async (body) => void sent.push(JSON.parse(body)) },
    validateTask,
    newId: () => `generated-${++ids}`,
    now: () => 1_718_000_000,
    log: () => {},
  });
  return { sent, handler };
}

function request(body: string | null, headers: Record<string, string> = {}): APIGatewayProxyEvent {
  return { body, headers, isBase64Encoded: false } as unknown as APIGatewayProxyEvent;
}

test('queues the task and answers 202 with its id', async () => {
  const { sent, handler } = setup();

  const result = await handler(request(JSON.stringify({ report: 'monthly' })));

  assert.equal(result.statusCode, 202);
  assert.deepEqual(JSON.parse(result.body), { taskId: 'generated-1', status: 'queued' });
  assert.deepEqual(sent, [{ taskId: 'generated-1', submittedAt: 1_718_000_000, payload: { report: 'monthly' } }]);
});

test('the Idempotency-Key header becomes the task id, so retries share it', async () => {
  const { sent, handler } = setup();
  const retry = request('{}', { 'idempotency-key': 'order-42' });

  await handler(retry);
  await handler(retry);

  assert.deepEqual(sent.map((m) => m.taskId), ['order-42', 'order-42']);
});

test('rejects a body that is not a JSON object', async () => {
  const { sent, handler } = setup();

  for (const body of ['not json', '[1, 2]']) {
    const result = await handler(request(body));
    assert.equal(result.statusCode, 400);
  }
  assert.equal(sent.length, 0);
});

test('validation errors from the business logic answer 400', async () => {
  const { sent, handler } = setup(async () => {
    throw new BadRequest('report is required');
  });

  const result = await handler(request('{}'));

  assert.equal(result.statusCode, 400);
  assert.deepEqual(JSON.parse(result.body), { error: 'report is required' });
  assert.equal(sent.length, 0);
});

test('a task larger than an SQS message answers 413', async () => {
  const { sent, handler } = setup();

  const result = await handler(request(JSON.stringify({ blob: 'x'.repeat(1024 * 1024) })));

  assert.equal(result.statusCode, 413);
  assert.equal(sent.length, 0);
});
