import { test } from 'node:test';
import assert from 'node:assert/strict';
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
import type { APIGatewayProxyEvent } from 'aws-lambda';
{{/unless}}
{{/unless}}
{{#if triggerEvent}}
import { makeHandler, ordersOf } from '../src/start/core';
{{else}}
{{#if webhook}}
import { executionNameOf, makeHandler } from '../src/start/core';
import { samplePayload, signedEvent, type SenderName } from './webhook-signing';
{{else}}
import { makeHandler } from '../src/start/core';
{{/if}}
{{/if}}

{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#if webhook}}
const SECRET = 'test-signing-secret';
const SENDER: SenderName = '{{sender}}';
const PAYLOAD = samplePayload(SENDER, 'Ev01');

function setup(startExecution: (name: string, payload: string) => Promise<string | undefined> = async () => 'arn:x') {
  const started: { name: string; order: Record<string, unknown> }[] = [];
  const handler = makeHandler({
    startExecution: async (name, payload) => {
      const arn = await startExecution(name, payload);
      started.push({ name, order: JSON.parse(payload) });
      return arn;
    },
    sender: SENDER,
    signingSecret: SECRET,
  });
  return { started, handler };
}

function signed(payload: Record<string, unknown> = PAYLOAD, secret = SECRET, options = {}): APIGatewayProxyEvent {
  return signedEvent(SENDER, payload, secret, { deliveryId: 'Ev01', ...options }) as unknown as APIGatewayProxyEvent;
}

test('a signed delivery starts one execution named by its delivery id and is answered at once', async () => {
  const { started, handler } = setup();
  const result = await handler(signed());
  assert.equal(result.statusCode, 200);
  assert.equal(started.length, 1);
  const name = started[0].name;
  assert.equal(name, executionNameOf('Ev01'));
  assert.deepEqual(started[0].order.delivery, PAYLOAD);
  assert.equal(started[0].order.orderId, name);
  assert.equal(JSON.parse(result.body).executionName, name);
{{#if senderSlackCommand}}
  // The slash command's immediate reply; the workflow posts the late answer to response_url.
  assert.equal(JSON.parse(result.body).response_type, 'ephemeral');
  assert.equal(started[0].order.responseUrl, PAYLOAD.response_url);
{{/if}}
});

test('a redelivery names the same execution and starts nothing new', async () => {
  const conflict = Object.assign(new Error('x'), { name: 'DurableExecutionAlreadyStartedException' });
  const first = setup();
  await first.handler(signed());
  const again = setup(async () => { throw conflict; });
  const result = await again.handler(signed());
  assert.equal(result.statusCode, 200);
  assert.deepEqual(again.started, []);
  assert.equal(JSON.parse(result.body).executionName, first.started[0].name);
});

test('every delivery id becomes a valid execution name', () => {
  assert.equal(executionNameOf('Ev01ABC'), 'Ev01ABC');
  const dotted = executionNameOf('1234567890.98765.abcdef0123456789'); // a Slack trigger_id
  assert.match(dotted, /^wh-[0-9a-f]{40}$/);
  assert.equal(dotted, executionNameOf('1234567890.98765.abcdef0123456789'));
  assert.ok(executionNameOf('x'.repeat(100)).length <= 64);
});

test('a wrong or missing signature is 401 and starts nothing; a failed start is 503', async () => {
  const { started, handler } = setup();
  assert.equal((await handler(signed(PAYLOAD, 'wrong-secret'))).statusCode, 401);
  assert.equal((await handler(signed(PAYLOAD, SECRET, { unsigned: true }))).statusCode, 401);
  assert.deepEqual(started, []);
  const down = setup(async () => { throw new Error('ServiceException'); });
  assert.equal((await down.handler(signed())).statusCode, 503);
});
{{#if senderSlackEvents}}

test("Slack's url_verification is answered with its challenge and starts nothing", async () => {
  const { started, handler } = setup();
  const result = await handler(signed({ type: 'url_verification', challenge: 'c-123', token: 't' }));
  assert.equal(result.statusCode, 200);
  assert.deepEqual(JSON.parse(result.body), { challenge: 'c-123' });
  assert.deepEqual(started, []);
});
{{/if}}
{{else}}
function post(body: unknown, headers: Record<string, string> = {}): APIGatewayProxyEvent {
  return { body: JSON.stringify(body), headers, isBase64Encoded: false } as unknown as APIGatewayProxyEvent;
}

test('starts the execution asynchronously under the idempotency key and answers 202', async () => {
  const started: { name: string; payload: string }[] = [];
  const handler = makeHandler({ startExecution: async (name, payload) => { started.push({ name, payload }); return 'arn:x'; }, newId: () => 'new-id' });
  const result = await handler(post({ amount: 5 }, { 'Idempotency-Key': 'key-1' }));
  assert.equal(result.statusCode, 202);
  assert.deepEqual(JSON.parse(result.body), { executionName: 'key-1', status: 'RUNNING', executionArn: 'arn:x' });
  assert.deepEqual(started, [{ name: 'key-1', payload: JSON.stringify({ amount: 5, orderId: 'key-1' }) }]);
});

test('the same key for a different order is 409; a failed start is 503; bad input is 400', async () => {
  const conflict = Object.assign(new Error('x'), { name: 'DurableExecutionAlreadyStartedException' });
  const failing = makeHandler({ startExecution: async () => { throw conflict; }, newId: () => 'id' });
  assert.equal((await failing(post({ orderId: 'o' }))).statusCode, 409);
  const down = makeHandler({ startExecution: async () => { throw new Error('ServiceException'); }, newId: () => 'id' });
  assert.equal((await down(post({ orderId: 'o' }))).statusCode, 503);
  assert.equal((await down({ body: '[1]', headers: {} } as unknown as APIGatewayProxyEvent)).statusCode, 400);
  assert.equal((await down(post({}, { 'idempotency-key': 'no spaces' }))).statusCode, 400);
});
{{/if}}
{{/unless}}
{{/unless}}
{{#unless triggerRequest}}
{{#unless triggerWebhook}}
function recorder() {
  const started: { name: string; payload: string }[] = [];
  return { started, deps: { startExecution: async (name: string, payload: string) => { started.push({ name, payload }); return `arn:x/${name}`; } } };
}
const alreadyStarted = Object.assign(new Error('x'), { name: 'DurableExecutionAlreadyStartedException' });
{{/unless}}
{{/unless}}
{{#if triggerEvent}}

/** What S3 sends for one object created (the key URL-encoded: "+" is a space). */
function s3Event(key = 'orders/batch+7.csv', sequencer = '0A1B2C3D4E5F678901', eventName = 'ObjectCreated:Put') {
  return {
    Records: [{
      eventSource: 'aws:s3', eventName,
      s3: { bucket: { name: 'uploads' }, object: { key, size: 42, sequencer } },
    }],
  };
}

test('an S3 record starts one execution, named by the object, asynchronously', async () => {
  const { started, deps } = recorder();
  const result = await makeHandler(deps)(s3Event());
  const [[name, order]] = ordersOf(s3Event());
  assert.match(name, /^s3-[0-9a-f]{40}$/);
  assert.deepEqual(order, { orderId: name, bucket: 'uploads', key: 'orders/batch 7.csv', size: 42 });
  assert.deepEqual(started, [{ name, payload: JSON.stringify(order) }]);
  assert.deepEqual(result, { started: [{ executionName: name, executionArn: `arn:x/${name}` }] });
});

test('a redelivered event and its EventBridge form name the same execution; a new upload another', () => {
  const eventBridge = ordersOf({ source: 'aws.s3', detail: { bucket: { name: 'uploads' }, object: { key: 'orders/batch 7.csv', size: 42, sequencer: '0A1B2C3D4E5F678901' } } });
  assert.deepEqual(ordersOf(s3Event()), eventBridge);
  assert.notEqual(ordersOf(s3Event('orders/batch+7.csv', '0A1B2C3D4E5F678999'))[0][0], eventBridge[0][0]);
});

test('an execution already started under the name is not an error; a failed start throws', async () => {
  const duplicate = await makeHandler({ startExecution: async () => { throw alreadyStarted; } })(s3Event());
  assert.equal((duplicate.started[0] as { duplicate?: boolean }).duplicate, true);
  await assert.rejects(makeHandler({ startExecution: async () => { throw new Error('ServiceException'); } })(s3Event()), /ServiceException/);
});

test("S3's s3:TestEvent and other event types start nothing", async () => {
  const { started, deps } = recorder();
  assert.deepEqual(await makeHandler(deps)({ Service: 'Amazon S3', Event: 's3:TestEvent' } as never), { started: [] });
  assert.deepEqual(await makeHandler(deps)(s3Event('a.csv', '01', 'ObjectRemoved:Delete')), { started: [] });
  assert.deepEqual(started, []);
});
{{/if}}
{{#if triggerSchedule}}

const scheduled = { scheduledTime: '2024-06-01T12:00:00Z', scheduleArn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/s' };

test('each scheduled time starts one execution named by it', async () => {
  const { started, deps } = recorder();
  const result = await makeHandler(deps)(scheduled);
  assert.deepEqual(started, [{ name: 'run-20240601T120000Z', payload: JSON.stringify({ orderId: 'run-20240601T120000Z', scheduledTime: '2024-06-01T12:00:00Z' }) }]);
  assert.deepEqual(result, { executionName: 'run-20240601T120000Z', executionArn: 'arn:x/run-20240601T120000Z' });
});

test('a retried delivery of the same run starts nothing new; a failed start throws; no time is refused', async () => {
  assert.deepEqual(await makeHandler({ startExecution: async () => { throw alreadyStarted; } })(scheduled), { executionName: 'run-20240601T120000Z', duplicate: true });
  await assert.rejects(makeHandler({ startExecution: async () => { throw new Error('ServiceException'); } })(scheduled), /ServiceException/);
  await assert.rejects(makeHandler(recorder().deps)({}), /scheduledTime/);
});
{{/if}}
