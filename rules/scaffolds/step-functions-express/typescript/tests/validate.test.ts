import { test } from 'node:test';
import assert from 'node:assert/strict';
{{#unless front}}
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
{{/unless}}
import { makeHandler, ValidationError } from '../src/validate/core';
{{#unless front}}

// Run from the project root (npm test): the sample event the README's `sam local invoke` uses.
const sample = JSON.parse(readFileSync(join(process.cwd(), 'events', 'validate.json'), 'utf8'));
{{/unless}}

const passThrough = makeHandler({ validate: (work) => work, log: () => {} });
{{#if triggerEvent}}
const VALID_INPUT = objectCreated();
{{/if}}
{{#if triggerSchedule}}
const VALID_INPUT = { scheduledTime: '2024-06-01T02:00:00Z' };
{{/if}}
{{#if front}}
const VALID_INPUT = { items: [1] };
{{/if}}

{{#if triggerEvent}}
function objectCreated(key = 'incoming/orders.csv') {
  return {
    version: '0', id: 'e-1', 'detail-type': 'Object Created', source: 'aws.s3', account: '123456789012',
    time: '2024-06-01T00:00:00Z', region: 'us-east-1', resources: ['arn:aws:s3:::uploads'],
    detail: { version: '0', bucket: { name: 'uploads' }, object: { key, size: 42, etag: 'abc123', sequencer: '0062' }, reason: 'PutObject' },
  };
}

test('an Object Created event becomes the object to process', async () => {
  assert.deepEqual(await passThrough({ requestId: 'uploads/incoming/orders.csv@abc123', input: objectCreated() }), {
    requestId: 'uploads/incoming/orders.csv@abc123',
    work: { bucket: 'uploads', key: 'incoming/orders.csv', size: 42, etag: 'abc123' },
  });
});

test('the sample event is what the rule sends', async () => {
  assert.ok(String((await passThrough(sample)).work.key).startsWith('incoming/'));
});

for (const [name, input] of [['no event', {}], ['another event', { source: 'aws.s3', 'detail-type': 'Object Deleted' }], ['outside incoming/', objectCreated('elsewhere/x.csv')]] as const) {
  test(`anything but an upload under incoming/ is rejected (${name})`, async () => {
    await assert.rejects(passThrough({ requestId: 'r-1', input: input as Record<string, unknown> }), { name: 'ValidationError' });
  });
}
{{/if}}
{{#if triggerSchedule}}
test('a Scheduler invocation becomes the run of its scheduled time', async () => {
  const input = { scheduledTime: '2024-06-01T02:00:00Z', scheduleArn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/s', executionId: 'x-1', attempt: '2' };

  assert.deepEqual(await passThrough({ requestId: 'schedule:2024-06-01T02:00:00Z', input }), {
    requestId: 'schedule:2024-06-01T02:00:00Z',
    work: { scheduledTime: '2024-06-01T02:00:00Z', attempt: 2 },
  });
});

test('the sample event is what the schedule sends', async () => {
  assert.equal((await passThrough(sample)).work.scheduledTime, '2024-06-01T02:00:00Z');
});

for (const input of [{}, { scheduledTime: 'yesterday' }]) {
  test(`a run without a valid scheduled time is rejected (${JSON.stringify(input)})`, async () => {
    await assert.rejects(passThrough({ requestId: 'r-1', input }), { name: 'ValidationError' });
  });
}
{{/if}}
{{#if webhook}}
test('a verified delivery is passed on with its request id', async () => {
{{#if senderSlackCommand}}
  const result = await passThrough({ requestId: 'd-1', input: { action: 'opened', id: 'd-1' }, responseUrl: 'https://hooks.slack.com/commands/T1/1/abc' });
  assert.equal(result.responseUrl, 'https://hooks.slack.com/commands/T1/1/abc');
{{else}}
  const result = await passThrough({ requestId: 'd-1', input: { action: 'opened', id: 'd-1' } });
{{/if}}
  assert.equal(result.requestId, 'd-1');
  assert.deepEqual(result.work, { action: 'opened', id: 'd-1' });
});

test('an empty delivery is rejected', async () => {
  await assert.rejects(passThrough({ requestId: 'd-1', input: {} }), { name: 'ValidationError' });
});
{{/if}}
{{#if triggerRequest}}
{{#unless webhook}}
test('passes the request id through with the normalised order', async () => {
  const handler = makeHandler({ validate: (order) => ({ ...order, normalised: true }), log: () => {} });

  assert.deepEqual(await handler({ requestId: 'r-1', input: { items: [1] } }), {
    requestId: 'r-1',
    work: { items: [1], normalised: true },
  });
});
{{/unless}}
{{/if}}

test('a rejection surfaces with the error name the state machine catches', async () => {
  const handler = makeHandler({
    validate: () => {
      throw new ValidationError('not acceptable');
    },
    log: () => {},
  });

  // Lambda reports the error's name as errorType; Catch.ErrorEquals ["ValidationError"] matches it.
  await assert.rejects(handler({ requestId: 'r-1', input: VALID_INPUT }), { name: 'ValidationError', message: 'not acceptable' });
});
