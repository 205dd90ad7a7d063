/**
 * Execute Lambda for {{patternName}}: the approved work. The workflow (statemachine/workflow.asl.json) runs it
 * after the .waitForTaskToken approval step and the optional Wait, retries TransientError and sends any other
 * failure to HandleFailure.
 */
import { makeHandler, {{#if triggerEvent}}uploadOf, {{/if}}type Item } from './core';
{{#if senderSlackCommand}}
import { fetchPost } from './webhook-auth';
{{/if}}

/** Does the approved work; throw TransientError (from ./core) for a failure worth retrying. */
async function executeRequest(executionId: string, request: Item, approval: Item): Promise<unknown> {
{{#if triggerEvent}}
  const upload = uploadOf(request);
  // BUSINESS LOGIC: do the approved work on the object here (grant ExecuteFunction s3:GetObject to read it); keep side effects idempotent on executionId.
  return { executionId, approvedBy: approval.approver, object: `s3://${upload.bucket}/${upload.key}` };
{{/if}}
{{#if triggerSchedule}}
  // BUSINESS LOGIC: do the approved periodic work here (the run of request.scheduledTime); keep side effects idempotent on executionId.
  return { executionId, approvedBy: approval.approver, scheduledTime: request.scheduledTime };
{{/if}}
{{#if webhook}}
  // BUSINESS LOGIC: do the approved work the delivery asks for here; keep side effects idempotent on executionId.
  return { executionId, approvedBy: approval.approver, deliveryId: request.deliveryId, payloadFields: Object.keys((request.payload ?? {}) as Item).sort() };
{{/if}}
{{#if triggerRequest}}
{{#unless webhook}}
  // BUSINESS LOGIC: do the approved work here; keep side effects idempotent on executionId.
  return { executionId, approvedBy: approval.approver, requestFields: Object.keys(request).sort() };
{{/unless}}
{{/if}}
}

export const handler = makeHandler({ executeRequest{{#if senderSlackCommand}}, postJson: fetchPost{{/if}} });
