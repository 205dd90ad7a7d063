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
