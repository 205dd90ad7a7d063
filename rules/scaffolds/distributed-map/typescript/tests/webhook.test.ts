import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { executionName, makeHandler, type Item } from '../src/webhook/core';
import { samplePayload, signedEvent, usesTimestamp, type SenderName, type SignOptions } from './webhook-signing';

const SECRET = 'test-signing-secret';
const SENDER: SenderName = '{{sender}}';
const NOW = 1_718_000_000;
const KEY = 'incoming/orders.csv';

/** A fake Step Functions with Standard's name dedupe: a name that was used fails with ExecutionAlreadyExists. */
function setup(sender: SenderName = SENDER) {
  const started = new Map<string, Item>();
  const handler = makeHandler({
    workflow: {
      start: async (name, input) => {
        if (started.has(name)) throw Object.assign(new Error(`Execution Already Exists: '${name}'`), { name: 'ExecutionAlreadyExists' });
        started.set(name, JSON.parse(input));
        return `arn:aws:states:us-east-1:123456789012:execution:batch:${name}`;
      },
    },
    objectKey: (payload) => String(payload.key ?? payload.text ?? ''),
    bucket: 'input-bucket',
    sender,
    signingSecret: SECRET,
    now: () => NOW,
    log: () => {},
  });
  return { started, handler };
}

/** The sender's sample delivery, asking for the batch over `key`. */
function naming(deliveryId: string, sender: SenderName = SENDER, key = KEY): Item {
  const payload = samplePayload(sender, deliveryId);
  return sender === 'slack-command' ? { ...payload, text: key } : { ...payload, key };
}

function signed(payload: Item, options: SignOptions & { secret?: string; sender?: SenderName } = {}): APIGatewayProxyEvent {
  return signedEvent(options.sender ?? SENDER, payload, options.secret ?? SECRET, { nowSeconds: NOW, ...options }) as unknown as APIGatewayProxyEvent;
}

test('a signed delivery starts the batch it names under its delivery id', async () => {
  const { started, handler } = setup();

  const result = await handler(signed(naming('d-1'), { deliveryId: 'd-1' }));

  assert.equal(result.statusCode, 200);
  assert.equal(JSON.parse(result.body).batchId, 'd-1');
  assert.deepEqual([...started.entries()], [['d-1', { bucket: 'input-bucket', key: KEY, batchId: 'd-1' }]]);
});

test('a redelivery starts no second batch', async () => {
  const { started, handler } = setup();

  await handler(signed(naming('d-2'), { deliveryId: 'd-2' }));
  const again = await handler(signed(naming('d-2'), { deliveryId: 'd-2' }));

  assert.equal(again.statusCode, 200);
  assert.equal(JSON.parse(again.body).duplicate, true);
  assert.equal(started.size, 1);
});

for (const key of ['', 'results/x.csv', 'incoming/../results/x.csv']) {
  test(`a delivery that names no object under incoming/ is 400 (${JSON.stringify(key)})`, async () => {
    const { started, handler } = setup();

    assert.equal((await handler(signed(naming('d-3', SENDER, key), { deliveryId: 'd-3' }))).statusCode, 400);
    assert.equal(started.size, 0);
  });
}

test('a delivery id an execution name cannot hold is named by its digest', () => {
  assert.equal(executionName('8f2c-11ef.1'), '8f2c-11ef.1');
  const name = executionName(`sha256:${'a'.repeat(64)}`);
  assert.ok(name.startsWith('d-') && name.length <= 80);
  assert.notEqual(executionName('a:b'), executionName('a/b'));
});

for (const change of ['wrong secret', 'missing', 'tampered', 'stale'] as const) {
  test(`an unsigned, wrong or stale delivery is 401 and starts nothing (${change})`, async (t) => {
    if (change === 'stale' && !usesTimestamp(SENDER)) return t.skip('this sender signs no timestamp; the execution name stops replays');
    const { started, handler } = setup();
    const event = {
      'wrong secret': () => signed(naming('d-4'), { secret: 'another-secret' }),
      missing: () => signed(naming('d-4'), { unsigned: true }),
      tampered: () => ({ ...signed(naming('d-4')), body: '{}' }),
      stale: () => signed(naming('d-4'), { nowSeconds: NOW - 600 }),
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

test('a slash command names its batch in its text and is answered at once', async () => {
  const { started, handler } = setup('slack-command');

  const result = await handler(signed(naming('trig-1', 'slack-command'), { sender: 'slack-command' }));

  assert.equal(JSON.parse(result.body).response_type, 'ephemeral');
  assert.deepEqual(started.get('trig-1'), { bucket: 'input-bucket', key: KEY, batchId: 'trig-1' });
});
