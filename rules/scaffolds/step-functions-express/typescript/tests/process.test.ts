import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHandler, TransientError{{#if senderSlackCommand}}, lateAnswer{{/if}} } from '../src/process/core';

test('returns the result with the request id', async () => {
  const handler = makeHandler({
    process: async (requestId, work) => ({ requestId, fields: Object.keys(work).length }),
{{#if senderSlackCommand}}
    postJson: async () => 200,
{{/if}}
    log: () => {},
  });

  assert.deepEqual(await handler({ requestId: 'r-1', work: { a: 1, b: 2 } }), { requestId: 'r-1', result: { requestId: 'r-1', fields: 2 } });
});

test('a transient failure keeps the name the state machine retries', async () => {
  const handler = makeHandler({
    process: async () => {
      throw new TransientError('dependency busy');
    },
{{#if senderSlackCommand}}
    postJson: async () => 200,
{{/if}}
    log: () => {},
  });

  await assert.rejects(handler({ requestId: 'r-1', work: {} }), { name: 'TransientError' });
});
{{#if senderSlackCommand}}

test('the late answer is posted to the response_url when the work is done', async () => {
  const posted: [string, unknown][] = [];
  const handler = makeHandler({
    process: async () => ({ units: 3 }),
    postJson: async (url, body) => {
      posted.push([url, body]);
      return 200;
    },
    log: () => {},
  });

  await handler({ requestId: 'trig-1', work: { text: 'weekly' }, responseUrl: 'https://hooks.slack.com/commands/T1/1/abc' });

  assert.deepEqual(posted, [['https://hooks.slack.com/commands/T1/1/abc', lateAnswer({ units: 3 })]]);
});
{{/if}}
