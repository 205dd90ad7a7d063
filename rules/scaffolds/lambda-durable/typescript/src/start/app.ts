/**
 * StartFunction of {{patternName}}{{#unless triggerRequest}}{{#unless triggerWebhook}} (started by the {{#if triggerEvent}}bucket's notification{{else}}schedule{{/if}}){{/unless}}{{/unless}}: wires the Lambda client (InvocationType "Event" through the alias) into core.ts.
 */
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#if webhook}}
import { isSender, SENDERS, type Sender } from './webhook-auth';
{{else}}
import { randomUUID } from 'node:crypto';
{{/if}}
{{/unless}}
{{/unless}}
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { makeHandler } from './core';

const lambda = new LambdaClient({});
const WORKFLOW_FUNCTION = process.env.WORKFLOW_FUNCTION ?? '';

export const handler = makeHandler({
  startExecution: async (name, payload) => {
    const out = await lambda.send(new InvokeCommand({
      FunctionName: WORKFLOW_FUNCTION,
      InvocationType: 'Event',
      DurableExecutionName: name,
      Payload: new TextEncoder().encode(payload),
    }));
    return out.DurableExecutionArn;
  },
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#if webhook}}
  sender: senderOf(process.env.WEBHOOK_SENDER ?? 'generic'),
  signingSecret: process.env.SIGNING_SECRET ?? '',
  signatureHeader: process.env.SIGNATURE_HEADER,
{{else}}
  newId: randomUUID,
{{/if}}
{{/unless}}
{{/unless}}
});
{{#if webhook}}

function senderOf(value: string): Sender {
  if (!isSender(value)) throw new Error(`WEBHOOK_SENDER '${value}' is not a sender; one of ${SENDERS.join(', ')}`);
  return value;
}
{{/if}}
