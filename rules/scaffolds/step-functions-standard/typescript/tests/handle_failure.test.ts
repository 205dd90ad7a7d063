import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHandler, type Failure } from '../src/handle_failure/core';

function setup() {
  const reported: Failure[] = [];
  const handler = makeHandler({ reportFailure: async (f) => void reported.push(f), log: () => {} });
  return { reported, handler };
}

test('reads a Lambda error out of the JSON cause and reports it', async () => {
  const { reported, handler } = setup();
  const Cause = JSON.stringify({ errorMessage: 'ledger unavailable', errorType: 'LedgerError', trace: [] });

  const failure = await handler({ executionId: 'exec-1', error: { Error: 'LedgerError', Cause } });

  assert.deepEqual(failure, { executionId: 'exec-1', error: 'LedgerError', errorType: 'LedgerError', errorMessage: 'ledger unavailable' });
  assert.deepEqual(reported, [failure]);
});

test('a plain-text cause, such as a step timeout', async () => {
  const { handler } = setup();

  const failure = await handler({ executionId: 'exec-1', error: { Error: 'States.Timeout', Cause: 'The approval was not given within 7 days.' } });

  assert.equal(failure.error, 'States.Timeout');
  assert.equal(failure.errorMessage, 'The approval was not given within 7 days.');
});
