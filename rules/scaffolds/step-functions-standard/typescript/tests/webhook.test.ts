import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { executionName, makeHandler, type Item } from '../src/webhook/core';
import { samplePayload, signedEvent, usesTimestamp, type SenderName, type SignOptions } from './webhook-signing';

const SECRET = 'test-signing-secret';
const SENDER: SenderName = '{{sender}}';
const NOW = 1_718_000_000;

/** A fake Step Functions with Standard's name dedupe: a name that was used fails with ExecutionAlreadyExists. */
function setup(sender: SenderName = SENDER) {
  const started = new Map<string, Item>();
  const handler = makeHandler({
    workflow: {
      start: async (name, input) => {
        if (started.has(name)) throw Object.assign(new Error(`Execution Already Exists: '${name}'`), { name: 'ExecutionAlreadyExists' });
        started.set(name, JSON.parse(input));
        return `arn:aws:states:us-east-1:123456789012:execution:workflow:${name}`;
      },
    },
    toRequest: (request) => request,
    sender,
    signingSecret: SECRET,
    now: () => NOW,
    log: () => {},
  });
  return { started, handler };
}

function signed(payload: Item, options: SignOptions & { secret?: string; sender?: SenderName } = {}): APIGatewayProxyEvent {
  return signedEvent(options.sender ?? SENDER, payload, options.secret ?? SECRET, { nowSeconds: NOW, ...options }) as unknown as APIGatewayProxyEvent;
}

function requestFor(deliveryId: string, payload: Item, sender: SenderName = SENDER): Item {
  const request: Item = { sender, deliveryId, payload };
  if (sender === 'slack-command') request.responseUrl = payload.response_url;
  return request;
}

test('a signed delivery starts the execution named by its delivery id', async () => {
  const { started, handler } = setup();
  const payload = samplePayload(SENDER, 'd-1');

  const result = await handler(signed(payload, { deliveryId: 'd-1' }));

  assert.equal(result.statusCode, 200);
  assert.equal(JSON.parse(result.body).execution, 'd-1');
  assert.deepEqual([...started.entries()], [['d-1', requestFor('d-1', payload)]]);
});

test('a redelivery is a duplicate that starts nothing', async () => {
  const { started, handler } = setup();
  const payload = samplePayload(SENDER, 'd-2');

  await handler(signed(payload, { deliveryId: 'd-2' }));
  const again = await handler(signed(payload, { deliveryId: 'd-2' }));

  assert.equal(again.statusCode, 200);
  assert.equal(JSON.parse(again.body).duplicate, true);
  assert.equal(started.size, 1);
});

test('a delivery id an execution name cannot hold is named by its digest', () => {
  assert.equal(executionName('8f2c-11ef.1'), '8f2c-11ef.1');
  const name = executionName(`sha256:${'a'.repeat(64)}`);
  assert.ok(name.startsWith('d-') && name.length <= 80);
  assert.equal(name, executionName(`sha256:${'a'.repeat(64)}`));
  assert.notEqual(executionName('a:b'), executionName('a/b'));
});

for (const change of ['wrong secret', 'missing', 'tampered', 'stale'] as const) {
  test(`an unsigned, wrong or stale delivery is 401 and starts nothing (${change})`, async (t) => {
    if (change === 'stale' && !usesTimestamp(SENDER)) return t.skip('this sender signs no timestamp; the execution name stops replays');
    const { started, handler } = setup();
    const payload = samplePayload(SENDER);
    const event = {
      'wrong secret': () => signed(payload, { secret: 'another-secret' }),
      missing: () => signed(payload, { unsigned: true }),
      tampered: () => ({ ...signed(payload), body: '{}' }),
      stale: () => signed(payload, { nowSeconds: NOW - 600 }),
    }[change]();

    assert.equal((await handler(event)).statusCode, 401);
    assert.equal(started.size, 0);
  });
}

test('Slack\'s url_verification is answered with its challenge', async () => {
  const { started, handler } = setup('slack-events');

  const result = await handler(signed({ type: 'url_verification', challenge: 'c-1' }, { sender: 'slack-events' }));

  assert.deepEqual(JSON.parse(result.body), { challenge: 'c-1' });
  assert.equal(started.size, 0);
});

test('a slash command is answered at once and its response_url rides with the request', async () => {
  const { started, handler } = setup('slack-command');
  const command = samplePayload('slack-command', 'trig-1');

  const result = await handler(signed(command, { sender: 'slack-command' }));

  assert.equal(JSON.parse(result.body).response_type, 'ephemeral');
  assert.deepEqual(started.get('trig-1'), requestFor('trig-1', command, 'slack-command'));
});
