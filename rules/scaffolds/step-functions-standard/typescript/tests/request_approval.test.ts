import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHandler, type Item } from '../src/request_approval/core';

function setup() {
  const stored: Item[] = [];
  const notified: [string, string, Item][] = [];
  let ids = 0;
  const handler = makeHandler({
    approvals: { putNew: async (item) => void stored.push(item) },
    notifyApprover: async (approvalId, url, request) => void notified.push([approvalId, url, request]),
    approvalUrl: 'https://example.execute-api.us-east-1.amazonaws.com/prod/approvals',
    keepSeconds: 8 * 24 * 3600,
    newId: () => `approval-${++ids}`,
    now: () => 1_000,
    log: () => {},
  });
  return { stored, notified, handler };
}

test('stores the task token under a new approval id and notifies the approver', async () => {
  const { stored, notified, handler } = setup();
  const request = { amount: 1200, requester: 'ana' };

  const result = await handler({ taskToken: 'token-abc', executionId: 'exec-1', request });

  assert.deepEqual(result, { approvalId: 'approval-1' });
  assert.deepEqual(stored, [{
    approvalId: 'approval-1', taskToken: 'token-abc', executionId: 'exec-1', status: 'PENDING',
    request: '{"amount":1200,"requester":"ana"}', createdAt: 1_000, expiresAt: 1_000 + 8 * 24 * 3600,
  }]);
  assert.deepEqual(notified, [['approval-1', 'https://example.execute-api.us-east-1.amazonaws.com/prod/approvals/approval-1', request]]);
});

test('the approval outlives the step timeout of 7 days', async () => {
  const { stored, handler } = setup();

  await handler({ taskToken: 't', executionId: 'exec-1' });

  assert.ok(Number(stored[0].expiresAt) - Number(stored[0].createdAt) > 7 * 24 * 3600);
});
