/**
 * Execute Lambda for {{patternName}}: the approved work. The workflow (statemachine/workflow.asl.json) runs it
 * after the .waitForTaskToken approval step and the optional Wait, retries TransientError and sends any other
 * failure to HandleFailure.
 */
import { makeHandler, type Item } from './core';

/** Does the approved work; throw TransientError (from ./core) for a failure worth retrying. */
async function executeRequest(executionId: string, request: Item, approval: Item): Promise<unknown> {
  // BUSINESS LOGIC: do the approved work here; keep side effects idempotent on executionId.
  return { executionId, approvedBy: approval.approver, requestFields: Object.keys(request).sort() };
}

export const handler = makeHandler({ executeRequest });
