/**
 * WorkflowFunction of {{patternName}}: the durable handler. `withDurableExecution` from the Durable Execution SDK
 * checkpoints each `context.step`, suspends at `context.wait` and `context.waitForCallback`, and replays the
 * function when Lambda resumes it. The workflow itself is in core.ts.
 */
import { withDurableExecution, type DurableContext } from '@aws/durable-execution-sdk-js';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { makeWorkflow, type Item } from './core';
{{#if webhook}}
{{#if senderSlackCommand}}
import { fetchPost, postLateAnswer } from './webhook-auth';
{{/if}}
{{/if}}

const sns = new SNSClient({});
const APPROVAL_TOPIC_ARN = process.env.APPROVAL_TOPIC_ARN ?? '';

const workflow = makeWorkflow({
  notifyApprover: async (callbackId, order) => {
    // BUSINESS LOGIC: reach the approver your way (email, Slack, a ticket); the SNS topic is the default.
    await sns.send(new PublishCommand({
      TopicArn: APPROVAL_TOPIC_ARN,
      Subject: 'Approval needed',
      Message: JSON.stringify({ orderId: order.orderId, amount: order.amount, callbackId }),
    }));
  },
  coolingOffSeconds: Number(process.env.COOLING_OFF_SECONDS ?? '3600'),
  approvalTimeoutHours: Number(process.env.APPROVAL_TIMEOUT_HOURS ?? '72'),
{{#if webhook}}
{{#if senderSlackCommand}}
  postLateAnswer: (responseUrl, message) => postLateAnswer(fetchPost, responseUrl, message),
{{/if}}
{{/if}}
});

export const handler = withDurableExecution(async (event: Item, context: DurableContext) => workflow(event, context));
