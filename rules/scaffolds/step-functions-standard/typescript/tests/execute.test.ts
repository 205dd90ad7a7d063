import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHandler, TransientError, type Item } from '../src/execute/core';

test('the work sees the execution id, the request and the approval', async () => {
  const seen: [string, Item, Item][] = [];
  const handler = makeHandler({
    executeRequest: async (executionId, request, approval) => {
      seen.push([executionId, request, approval]);
      return { done: true };
    },
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
    log: () => {},
  });

  await assert.rejects(handler({ executionId: 'exec-1' }), { name: 'TransientError' });
});
