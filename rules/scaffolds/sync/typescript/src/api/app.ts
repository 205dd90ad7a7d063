/**
 * API Lambda for {{patternName}}: answers in the same request, inside API Gateway's 29 s window.
 * core.ts gives the work a deadline, maps errors to 400/504/500 and warns near the limit.
 */
{{#if webhook}}
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
{{/if}}
import { BadRequest, makeHandler, type Deadline, type Item } from './core';
{{#if webhook}}
import { isSender, SENDERS, type Sender } from './webhook-auth';
{{/if}}

/** Does the work and returns the response body. Call deadline.check('step') between steps. */
async function handleRequest(request: Item, deadline: Deadline): Promise<unknown> {
{{#if webhook}}
  // BUSINESS LOGIC: answer the delivery (request = its parsed body); it must finish well inside the sender's deadline (throw BadRequest for a 400).
{{else}}
  // BUSINESS LOGIC: do the work here; it must finish well inside the 29 s window (throw BadRequest for a 400).
{{/if}}
  if (Object.keys(request).length > 1000) throw new BadRequest('too many fields');
  deadline.check('handleRequest');
  return { received: Object.keys(request).sort() };
}

{{#if webhook}}
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = process.env.DELIVERIES_TABLE ?? '';

export const handler = makeHandler({
  handleRequest,
  // The answer must reach the sender within its own deadline as well as within the door's window.
  windowSeconds: Math.min(Number(process.env.API_WINDOW_SECONDS ?? '29'), Number(process.env.SENDER_DEADLINE_SECONDS ?? '29')),
  safetySeconds: Number(process.env.SAFETY_SECONDS ?? '1.5'),
  sender: senderOf(process.env.WEBHOOK_SENDER ?? 'generic'),
  signingSecret: process.env.SIGNING_SECRET ?? '',
  signatureHeader: process.env.SIGNATURE_HEADER,
  keepAnswerSeconds: Number(process.env.KEEP_ANSWER_SECONDS ?? String(24 * 3600)),
  deliveries: {
    put: async (input) => { await doc.send(new PutCommand({ TableName: TABLE, ...input })); },
    get: async (input) => (await doc.send(new GetCommand({ TableName: TABLE, ConsistentRead: true, ...input }))).Item,
    update: async (input) => doc.send(new UpdateCommand({ TableName: TABLE, ...input })),
    delete: async (input) => { await doc.send(new DeleteCommand({ TableName: TABLE, ...input })); },
  },
});

function senderOf(value: string): Sender {
  if (!isSender(value)) throw new Error(`WEBHOOK_SENDER '${value}' is not a sender; one of ${SENDERS.join(', ')}`);
  return value;
}
{{else}}
export const handler = makeHandler({
  handleRequest,
  windowSeconds: Number(process.env.API_WINDOW_SECONDS ?? '29'),
  safetySeconds: Number(process.env.SAFETY_SECONDS ?? '1.5'),
});
{{/if}}
