import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHandler, TransientError, {{#if triggerEvent}}uploadOf, {{/if}}type Item } from '../src/execute/core';

test('the work sees the execution id, the request and the approval', async () => {
  const seen: [string, Item, Item][] = [];
  const handler = makeHandler({
    executeRequest: async (executionId, request, approval) => {
      seen.push([executionId, request, approval]);
      return { done: true };
    },
{{#if senderSlackCommand}}
    postJson: async () => 200,
{{/if}}
    log: () => {},
  });

  assert.deepEqual(await handler({ executionId: 'exec-1', request: { a: 1 }, approval: { approver: 'lead' } }), { done: true });
  assert.deepEqual(seen, [['exec-1', { a: 1 }, { approver: 'lead' }]]);
});

test('a transient failure keeps the name the workflow retries', async () => {
  const handler = makeHandler({
    executeRequest: async () => {
      throw new TransientError('ledger busy');
    },
{{#if senderSlackCommand}}
    postJson: async () => 200,
{{/if}}
    log: () => {},
  });

  await assert.rejects(handler({ executionId: 'exec-1' }), { name: 'TransientError' });
});
{{#if triggerEvent}}

test('the request is the Object Created event, and uploadOf names its object', () => {
  const request = { 'detail-type': 'Object Created', source: 'aws.s3', detail: { bucket: { name: 'uploads' }, object: { key: 'incoming/orders.csv', size: 42, etag: 'abc' } } };

  assert.deepEqual(uploadOf(request), { bucket: 'uploads', key: 'incoming/orders.csv', size: 42, etag: 'abc' });
});
{{/if}}
{{#if senderSlackCommand}}

test('the late answer goes to the response_url, and an expired one does not fail the work', async () => {
  const posted: string[] = [];
  let status = 200;
  const handler = makeHandler({
    executeRequest: async () => ({ done: true }),
    postJson: async (url) => {
      posted.push(url);
      return status;
    },
    log: () => {},
  });
  const event = { executionId: 't-1', request: { deliveryId: 't-1', payload: {}, responseUrl: 'https://hooks.slack.com/commands/T1/1/abc' } };

  assert.deepEqual(await handler(event), { done: true });
  assert.deepEqual(posted, ['https://hooks.slack.com/commands/T1/1/abc']);
  status = 404;
  assert.deepEqual(await handler(event), { done: true });
});
{{/if}}
