/**
 * Producer Lambda for {{patternName}}: the API front door. Wires SQS into core.ts.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { makeHandler, type Item } from './core';
{{#if webhook}}
import { isSender, SENDERS, type Sender } from './webhook-auth';
{{/if}}

const QUEUE_URL = process.env.QUEUE_URL ?? '';
const sqs = new SQSClient({});

/** Checks a task before it is queued; throw `new BadRequest(...)` (from ./core) to answer 400. */
async function validateTask(payload: Item): Promise<Item> {
  // BUSINESS LOGIC: validate or enrich the task payload here (the worker receives what this returns).
  return payload;
}

export const handler = makeHandler({
  queue: {
    send: async (body) => {
      await sqs.send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: body }));
    },
  },
  validateTask,
  newId: randomUUID,
{{#if webhook}}
  sender: senderOf(process.env.WEBHOOK_SENDER ?? 'generic'),
  signingSecret: process.env.SIGNING_SECRET ?? '',
  signatureHeader: process.env.SIGNATURE_HEADER,
{{/if}}
});
{{#if webhook}}

function senderOf(value: string): Sender {
  if (!isSender(value)) throw new Error(`WEBHOOK_SENDER '${value}' is not a sender; one of ${SENDERS.join(', ')}`);
  return value;
}
{{/if}}
