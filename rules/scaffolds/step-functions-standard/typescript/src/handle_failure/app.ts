/**
 * HandleFailure Lambda for {{patternName}}: the workflow's Catch target.
 */
import { makeHandler, type Failure } from './core';

/** Tells someone: `failure` has executionId, error, errorType and errorMessage. */
async function reportFailure(failure: Failure): Promise<void> {
  // BUSINESS LOGIC: notify the team or the requester here (SNS, e-mail, a ticket); the sample only logs.
  void failure;
}

export const handler = makeHandler({ reportFailure });
