/**
 * Webhook Lambda for {{patternName}}: the {{sender}} webhook's front door. Wires Step Functions into core.ts.
 */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { makeHandler, type Item } from './core';
import { isSender, SENDERS, type Sender } from './webhook-auth';

const STATE_MACHINE_ARN = process.env.STATE_MACHINE_ARN ?? '';
const sfn = new SFNClient({});

/** The key of the CSV object (under incoming/) the delivery asks to run over. */
function objectKey(payload: Item): string {
  // BUSINESS LOGIC: find the object in the sender's payload here (a slash command's text, an event's field).
  return String(payload.key ?? payload.text ?? '');
}

export const handler = makeHandler({
  workflow: {
    start: async (name, input) => (await sfn.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, name, input }))).executionArn ?? '',
  },
  objectKey,
  bucket: process.env.INPUT_BUCKET ?? '',
  sender: senderOf(process.env.WEBHOOK_SENDER ?? 'generic'),
  signingSecret: process.env.SIGNING_SECRET ?? '',
  signatureHeader: process.env.SIGNATURE_HEADER,
});

function senderOf(value: string): Sender {
  if (!isSender(value)) throw new Error(`WEBHOOK_SENDER '${value}' is not a sender; one of ${SENDERS.join(', ')}`);
  return value;
}
