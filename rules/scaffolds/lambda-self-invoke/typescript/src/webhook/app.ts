// {{name}}: webhook that acks at once and invokes itself for the slow work (async-advisor {{advisorVersion}}).
// Webhook leg (function URL): verify the Slack-style HMAC signature, drop repeats of an event id, answer 200
// within the sender's deadline and invoke THIS function with InvocationType "Event" and {asyncLeg: true}.
// Async leg (that self-invocation): claim the event id, run processEvent(), record done. Lambda retries a
// failed async leg (MaximumRetryAttempts), then sends it to the on-failure destination.
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { makeHandler } from './core.js';

/** The slow work for one webhook event (up to the function's 15 minutes). `payload` is the sender's JSON. */
export async function processEvent(payload: Record<string, unknown>): Promise<unknown> {
  // BUSINESS LOGIC: replace this demo with the slow work (call a model, build a report) and deliver the
  // answer back to the sender's system (Slack chat.postMessage or the response_url). It may run again
  // after a failure, so make external effects idempotent (e.g. keyed by the event id).
  const event = (payload.event ?? {}) as { type?: string; text?: string; channel?: string };
  const reply = `Processed ${event.type ?? 'event'}: ${(event.text ?? '').slice(0, 100)}`;
  console.log(JSON.stringify({ level: 'INFO', message: 'reply ready', channel: event.channel, reply }));
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
  tableName: requireEnv('IDEMPOTENCY_TABLE'),
  maxClockSkewSeconds: Number(process.env.MAX_CLOCK_SKEW_SECONDS ?? '300'),
  maxAttempts: Number(process.env.MAX_ATTEMPTS ?? '3'),
  processEvent,
});

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
