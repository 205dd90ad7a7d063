{{#if webhook}}
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { makeHandler, type Item } from '../src/producer/core';
import { samplePayload, signedEvent, usesTimestamp, type SenderName, type SignOptions } from './webhook-signing';

const SECRET = 'test-signing-secret';
const SENDER: SenderName = '{{sender}}';
const NOW = 1_718_000_000;

function setup(sender: SenderName = SENDER) {
  const sent: Item[] = [];
  const handler = makeHandler({
    queue: { send: async (body) => void sent.push(JSON.parse(body)) },
    validateTask: async (payload) => payload,
    newId: () => 'generated',
    sender,
    signingSecret: SECRET,
    now: () => NOW,
    log: () => {},
  });
  return { sent, handler };
}

function signed(payload: Item, options: SignOptions & { secret?: string; sender?: SenderName } = {}): APIGatewayProxyEvent {
  return signedEvent(options.sender ?? SENDER, payload, options.secret ?? SECRET, { nowSeconds: NOW, ...options }) as unknown as APIGatewayProxyEvent;
}

test('a signed delivery is queued with the sender\'s delivery id as its task id', async () => {
  const { sent, handler } = setup();

  const result = await handler(signed(samplePayload(SENDER, 'd-1'), { deliveryId: 'd-1' }));

  assert.equal(result.statusCode, 200);
  assert.equal(JSON.parse(result.body).taskId, 'd-1');
  assert.deepEqual(sent.map((m) => [m.taskId, m.payload]), [['d-1', samplePayload(SENDER, 'd-1')]]);
});

test('a redelivery is the same task, so the worker runs it once', async () => {
  const { sent, handler } = setup();
  for (let i = 0; i < 2; i++) assert.equal((await handler(signed(samplePayload(SENDER, 'd-2'), { deliveryId: 'd-2' }))).statusCode, 200);
  assert.deepEqual(sent.map((m) => m.taskId), ['d-2', 'd-2']);
});

test('a delivery with a wrong, missing or stale signature or a changed body is 401 and queues nothing', async () => {
  const { sent, handler } = setup();
  const tampered = signed(samplePayload(SENDER));
  tampered.body = '{}';
  const rejected = [signed(samplePayload(SENDER), { secret: 'another-secret' }), signed(samplePayload(SENDER), { unsigned: true }), tampered];
  if (usesTimestamp(SENDER)) rejected.push(signed(samplePayload(SENDER), { nowSeconds: NOW - 600 }));
  for (const event of rejected) assert.equal((await handler(event)).statusCode, 401);
  assert.deepEqual(sent, []);
});

test('a signed, form-encoded slash command gets 200 and its response_url rides with the task', async () => {
  const { sent, handler } = setup('slack-command');
  const command = samplePayload('slack-command', 'trig-1');

  const result = await handler(signed(command, { sender: 'slack-command' }));

  assert.equal(result.statusCode, 200);
  assert.equal(JSON.parse(result.body).response_type, 'ephemeral');
  assert.deepEqual(sent.map((m) => [m.taskId, m.responseUrl]), [['trig-1', command.response_url]]);
});
{{else}}
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
{{/if}}
