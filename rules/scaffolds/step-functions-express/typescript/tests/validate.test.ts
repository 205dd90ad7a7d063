import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHandler, ValidationError } from '../src/validate/core';

test('passes the request id through with the normalised order', async () => {
  const handler = makeHandler({ validateOrder: (order) => ({ ...order, normalised: true }), log: () => {} });

  assert.deepEqual(await handler({ requestId: 'r-1', input: { items: [1] } }), {
    requestId: 'r-1',
    order: { items: [1], normalised: true },
  });
});

test('a rejection surfaces with the error name the state machine catches', async () => {
  const handler = makeHandler({
    validateOrder: () => {
      throw new ValidationError('items must be a non-empty list');
    },
    log: () => {},
  });

  // Lambda reports the error's name as errorType; Catch.ErrorEquals ["ValidationError"] matches it.
  await assert.rejects(handler({ requestId: 'r-1', input: {} }), { name: 'ValidationError', message: 'items must be a non-empty list' });
});
