// {{name}}: webhook that acks at once and invokes itself for the slow work (async-advisor {{advisorVersion}}).
// Webhook leg (function URL): verify the sender's signature (webhook-auth.ts, WEBHOOK_SENDER: {{sender}}), drop
// repeats of the sender's delivery id, answer 200 within the sender's deadline and invoke THIS function with
// InvocationType "Event" and {asyncLeg: true}. Async leg (that self-invocation): claim the delivery id, run
// processEvent(), record done; a slash command's answer goes to its response_url. Lambda retries a failed
// async leg (MaximumRetryAttempts), then sends it to the on-failure destination.
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { makeHandler } from './core.js';
import { fetchPost, isSender, SENDERS, type Sender } from './webhook-auth.js';

/**
 * The slow work for one webhook delivery (up to the function's 15 minutes). `payload` is the sender's body: its
 * JSON object, or a slash command's form fields. A returned `reply` is posted to a slash command's response_url.
 */
export async function processEvent(payload: Record<string, unknown>): Promise<unknown> {
  // BUSINESS LOGIC: replace this demo with the slow work (call a model, build a report) and deliver the
  // answer back to the sender's system (Slack chat.postMessage, a GitHub check). It may run again
  // after a failure, so make external effects idempotent (e.g. keyed by the delivery id).
  const event = (typeof payload.event === 'object' && payload.event !== null ? payload.event : {}) as { type?: string; text?: string; channel?: string };
  const text = typeof payload.text === 'string' ? payload.text : event.text ?? '';
  const reply = `Processed ${String(payload.command ?? event.type ?? payload.type ?? 'event')}: ${text.slice(0, 100)}`;
  console.log(JSON.stringify({ level: 'INFO', message: 'reply ready', channel: event.channel ?? payload.channel_id, reply }));
  return { reply };
}

const ddb = new DynamoDBClient({});
const lambda = new LambdaClient({});

export const handler = makeHandler({
  db: {
    putItem: (input) => ddb.send(new PutItemCommand(input)),
    updateItem: (input) => ddb.send(new UpdateItemCommand(input)),
    deleteItem: (input) => ddb.send(new DeleteItemCommand(input)),
  },
  lambda: {
    invoke: (input) => lambda.send(new InvokeCommand({ ...input, Payload: new TextEncoder().encode(input.Payload) })),
  },
  signingSecret: requireEnv('SIGNING_SECRET'),
  sender: senderOf(process.env.WEBHOOK_SENDER ?? 'generic'),
  signatureHeader: process.env.SIGNATURE_HEADER,
  postJson: fetchPost,
  tableName: requireEnv('IDEMPOTENCY_TABLE'),
  maxClockSkewSeconds: Number(process.env.MAX_CLOCK_SKEW_SECONDS ?? '300'),
  maxAttempts: Number(process.env.MAX_ATTEMPTS ?? '3'),
  processEvent,
});

function senderOf(value: string): Sender {
  if (!isSender(value)) throw new Error(`WEBHOOK_SENDER '${value}' is not a sender; one of ${SENDERS.join(', ')}`);
  return value;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
