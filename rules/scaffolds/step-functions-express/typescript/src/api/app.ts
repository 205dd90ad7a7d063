{{#if webhook}}
/**
 * API Lambda for {{patternName}}: the {{sender}} webhook's front door. Wires Step Functions and DynamoDB into core.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { makeHandler, type Item } from './core';
import { isSender, SENDERS, type Sender } from './webhook-auth';

const STATE_MACHINE_ARN = process.env.STATE_MACHINE_ARN ?? '';
const DELIVERIES_TABLE = process.env.DELIVERIES_TABLE ?? '';

/** The workflow's `input` for a verified delivery. */
async function toWorkflowInput(payload: Item): Promise<Item> {
  // BUSINESS LOGIC: map the delivery to the workflow input here if it needs more than the payload.
  return payload;
}

const sfn = new SFNClient({});
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = makeHandler({
  workflow: {
    start: async (input) => (await sfn.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, input }))).executionArn ?? '',
  },
  deliveries: {
    put: async (input) => {
      await doc.send(new PutCommand({ TableName: DELIVERIES_TABLE, ...input }));
    },
    delete: async (input) => {
      await doc.send(new DeleteCommand({ TableName: DELIVERIES_TABLE, ...input }));
    },
  },
  toWorkflowInput,
  sender: senderOf(process.env.WEBHOOK_SENDER ?? 'generic'),
  signingSecret: process.env.SIGNING_SECRET ?? '',
  signatureHeader: process.env.SIGNATURE_HEADER,
});

function senderOf(value: string): Sender {
  if (!isSender(value)) throw new Error(`WEBHOOK_SENDER '${value}' is not a sender; one of ${SENDERS.join(', ')}`);
  return value;
}
{{else}}
/**
 * API Lambda for {{patternName}}: wires Step Functions and DynamoDB into core.ts.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { makeHandler, type Item } from './core';

const STATE_MACHINE_ARN = process.env.STATE_MACHINE_ARN ?? '';
const TABLE_NAME = process.env.TABLE_NAME ?? '';

/** The workflow's `input` for a request body; throw `new BadRequest(...)` (from ./core) to answer 400. */
async function toWorkflowInput(body: Item): Promise<Item> {
  // BUSINESS LOGIC: map the HTTP request to the workflow input here if it needs more than the body.
  return body;
}

const sfn = new SFNClient({});
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = makeHandler({
  workflow: {
    start: async (input) => (await sfn.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, input }))).executionArn ?? '',
    startSync: async (input) => {
      const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, input }));
      return { status: String(out.status), error: out.error, cause: out.cause };
    },
  },
  results: {
    get: async (requestId) => (await doc.send(new GetCommand({ TableName: TABLE_NAME, Key: { requestId }, ConsistentRead: true }))).Item,
  },
  toWorkflowInput,
  startMode: process.env.START_MODE === 'sync' ? 'sync' : 'async',
  newId: randomUUID,
});
{{/if}}
