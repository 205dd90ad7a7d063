{{#if webhook}}
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { makeHandler, type Item } from '../src/api/core';
import { FakeDocumentTable } from './fake-dynamodb';
import { samplePayload, signedEvent, usesTimestamp, type SenderName, type SignOptions } from './webhook-signing';

const SECRET = 'test-signing-secret';
const SENDER: SenderName = '{{sender}}';
const NOW = 1_718_000_000;

function setup(sender: SenderName = SENDER, failStart = false) {
  const deliveries = new FakeDocumentTable('deliveries', ['deliveryId']);
  const started: Item[] = [];
  const handler = makeHandler({
    workflow: {
      start: async (input) => {
        if (failStart) throw new Error('ServiceUnavailable');
        started.push(JSON.parse(input));
        return 'arn:aws:states:us-east-1:123456789012:execution:workflow:exec-1';
      },
    },
    deliveries,
    toWorkflowInput: (payload) => payload,
    sender,
    signingSecret: SECRET,
    now: () => NOW,
    log: () => {},
  });
  return { deliveries, started, handler };
}

function signed(payload: Item, options: SignOptions & { secret?: string; sender?: SenderName } = {}): APIGatewayProxyEvent {
  return signedEvent(options.sender ?? SENDER, payload, options.secret ?? SECRET, { nowSeconds: NOW, ...options }) as unknown as APIGatewayProxyEvent;
}

function expectedInput(requestId: string, payload: Item): Item {
  return SENDER === 'slack-command' ? { requestId, input: payload, responseUrl: payload.response_url } : { requestId, input: payload };
}

test('a signed delivery starts the workflow with the delivery id as request id', async () => {
  const { deliveries, started, handler } = setup();
  const payload = samplePayload(SENDER, 'd-1');

  const result = await handler(signed(payload, { deliveryId: 'd-1' }));

  assert.equal(result.statusCode, 200);
  assert.equal(JSON.parse(result.body).requestId, 'd-1');
  assert.deepEqual(started, [expectedInput('d-1', payload)]);
  assert.equal(deliveries.items()[0]?.deliveryId, 'd-1');
});

test('a redelivery starts nothing', async () => {
  const { started, handler } = setup();
  const payload = samplePayload(SENDER, 'd-2');

  const first = await handler(signed(payload, { deliveryId: 'd-2' }));
  const second = await handler(signed(payload, { deliveryId: 'd-2' }));

  assert.equal(first.statusCode, 200);
  assert.equal(second.statusCode, 200);
  assert.equal(JSON.parse(second.body).duplicate, true);
  assert.equal(started.length, 1);
});

test('a failed start releases the claim so the sender\'s retry starts it', async () => {
  const { deliveries, handler } = setup(SENDER, true);

  await assert.rejects(handler(signed(samplePayload(SENDER, 'd-3'), { deliveryId: 'd-3' })));

  assert.deepEqual(deliveries.items(), []);
});

for (const change of ['wrong secret', 'missing', 'tampered', 'stale'] as const) {
  test(`an unsigned, wrong or stale delivery is 401 and starts nothing (${change})`, async (t) => {
    if (change === 'stale' && !usesTimestamp(SENDER)) return t.skip('this sender signs no timestamp; the delivery-id claim stops replays');
    const { deliveries, started, handler } = setup();
    const payload = samplePayload(SENDER);
    const event = {
      'wrong secret': () => signed(payload, { secret: 'another-secret' }),
      missing: () => signed(payload, { unsigned: true }),
      tampered: () => ({ ...signed(payload), body: '{}' }),
      stale: () => signed(payload, { nowSeconds: NOW - 600 }),
    }[change]();

    assert.equal((await handler(event)).statusCode, 401);
    assert.equal(started.length, 0);
    assert.deepEqual(deliveries.items(), []);
  });
}

test('Slack\'s url_verification is answered with its challenge', async () => {
  const { started, handler } = setup('slack-events');

  const result = await handler(signed({ type: 'url_verification', challenge: 'c-1' }, { sender: 'slack-events' }));

  assert.equal(result.statusCode, 200);
  assert.deepEqual(JSON.parse(result.body), { challenge: 'c-1' });
  assert.equal(started.length, 0);
});

test('a slash command is answered at once and its response_url rides with the execution', async () => {
  const { started, handler } = setup('slack-command');
  const command = samplePayload('slack-command', 'trig-1');

  const result = await handler(signed(command, { sender: 'slack-command' }));

  assert.equal(result.statusCode, 200);
  assert.equal(JSON.parse(result.body).response_type, 'ephemeral');
  assert.deepEqual(started, [{ requestId: 'trig-1', input: command, responseUrl: command.response_url }]);
});
{{else}}
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { makeHandler, type Item, type SyncExecution } from '../src/api/core';

function setup(startMode: 'async' | 'sync', syncOutcome?: (input: Item) => SyncExecution) {
  const results = new Map<string, Item>();
  const started: Item[] = [];
  const handler = makeHandler({
    workflow: {
      start: async (input) => {
        started.push(JSON.parse(input));
        return 'arn:aws:states:us-east-1:123456789012:execution:workflow:exec-1';
      },
      startSync: async (input) => {
        const parsed = JSON.parse(input) as Item;
        started.push(parsed);
        return syncOutcome ? syncOutcome(parsed) : { status: 'SUCCEEDED' };
      },
    },
    results: { get: async (requestId) => results.get(requestId) },
    toWorkflowInput: (body) => body,
    startMode,
    newId: () => 'generated-id',
    log: () => {},
  });
  const post = async (body: unknown, key = 'order-1') => {
    const event = { httpMethod: 'POST', headers: { 'Idempotency-Key': key }, body: JSON.stringify(body), isBase64Encoded: false };
    const result = await handler(event as unknown as APIGatewayProxyEvent);
    return { status: result.statusCode, body: JSON.parse(result.body) as Item, headers: result.headers };
  };
  const get = async (requestId: string) => {
    const result = await handler({ httpMethod: 'GET', pathParameters: { requestId } } as unknown as APIGatewayProxyEvent);
    return { status: result.statusCode, body: JSON.parse(result.body) as Item };
  };
  return { results, started, post, get };
}

test('async mode starts the execution with the request id and answers 202', async () => {
  const { started, post } = setup('async');

  const { status, body, headers } = await post({ items: [{ sku: 'A', quantity: 1 }] });

  assert.equal(status, 202);
  assert.deepEqual(body, { requestId: 'order-1', status: 'RUNNING' });
  assert.equal(headers?.Location, '/orders/order-1');
  assert.deepEqual(started, [{ requestId: 'order-1', input: { items: [{ sku: 'A', quantity: 1 }] } }]);
});

test('a request that already has an outcome is not started again', async () => {
  const { results, started, post } = setup('async');
  results.set('order-1', { requestId: 'order-1', status: 'SUCCEEDED', result: '{"units":1}' });

  const { status, body } = await post({ items: [] });

  assert.equal(status, 200);
  assert.deepEqual(body, { requestId: 'order-1', status: 'SUCCEEDED', result: { units: 1 } });
  assert.equal(started.length, 0);
});

test('sync mode answers with the result the workflow stored', async () => {
  const state = setup('sync', (input) => {
    state.results.set(String(input.requestId), { status: 'SUCCEEDED', result: '{"units":3}' });
    return { status: 'SUCCEEDED' };
  });

  const { status, body } = await state.post({ items: [{ sku: 'A', quantity: 3 }] });

  assert.equal(status, 200);
  assert.deepEqual(body, { requestId: 'order-1', status: 'SUCCEEDED', result: { units: 3 } });
});

test('sync mode maps a rejection to 400 and any other failure to 502', async () => {
  const rejected = setup('sync', () => ({ status: 'FAILED', error: 'ValidationError', cause: 'items must be a non-empty list' }));
  const failed = setup('sync', () => ({ status: 'FAILED', error: 'WorkflowFailed' }));
  const timedOut = setup('sync', () => ({ status: 'TIMED_OUT' }));

  assert.deepEqual(await rejected.post({ items: [] }), {
    status: 400,
    body: { requestId: 'order-1', status: 'REJECTED', error: 'items must be a non-empty list' },
    headers: { 'Content-Type': 'application/json' },
  });
  assert.equal((await failed.post({ items: [] })).status, 502);
  assert.equal((await timedOut.post({ items: [] })).status, 502);
});

test('GET answers the stored outcome, or 404 while unknown or running', async () => {
  const { results, get } = setup('async');
  results.set('order-9', { status: 'REJECTED', error: 'items must be a non-empty list' });

  assert.deepEqual(await get('order-9'), { status: 200, body: { requestId: 'order-9', status: 'REJECTED', error: 'items must be a non-empty list' } });
  assert.equal((await get('nope')).status, 404);
});

test('rejects a body that is not a JSON object', async () => {
  const { started, post } = setup('async');

  assert.equal((await post([1, 2])).status, 400);
  assert.equal(started.length, 0);
});
{{/if}}
