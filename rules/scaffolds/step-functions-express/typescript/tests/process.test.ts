import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHandler, TransientError } from '../src/process/core';

test('returns the result with the request id', async () => {
  const handler = makeHandler({ processOrder: async (requestId, order) => ({ requestId, lines: (order.items as unknown[]).length }), log: () => {} });

  assert.deepEqual(await handler({ requestId: 'r-1', order: { items: [1, 2] } }), { requestId: 'r-1', result: { requestId: 'r-1', lines: 2 } });
});

test('a transient failure keeps the name the state machine retries', async () => {
  const handler = makeHandler({
    processOrder: async () => {
      throw new TransientError('inventory service busy');
    },
    log: () => {},
  });

  await assert.rejects(handler({ requestId: 'r-1', order: {} }), { name: 'TransientError' });
});
