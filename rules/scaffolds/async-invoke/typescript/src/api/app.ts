/**
 * API Lambda for {{patternName}}: wires DynamoDB and Lambda (InvocationType "Event") into core.ts.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { makeHandler, type Item } from './core';

const TABLE_NAME = process.env.TABLE_NAME ?? '';
const WORKER_FUNCTION_NAME = process.env.WORKER_FUNCTION_NAME ?? '';

/** Checks a job before it is accepted; throw `new BadRequest(...)` (from ./core) to answer 400. */
async function validateJob(input: Item): Promise<Item> {
  // BUSINESS LOGIC: validate the job input here (the worker receives what this returns).
  return input;
}

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const lambda = new LambdaClient({});

export const handler = makeHandler({
  jobs: {
    putNew: async (item) => {
      await doc.send(new PutCommand({ TableName: TABLE_NAME, Item: item, ConditionExpression: 'attribute_not_exists(jobId)' }));
    },
    get: async (jobId) => (await doc.send(new GetCommand({ TableName: TABLE_NAME, Key: { jobId }, ConsistentRead: true }))).Item,
    delete: async (jobId) => {
      await doc.send(new DeleteCommand({ TableName: TABLE_NAME, Key: { jobId } }));
    },
  },
  worker: {
    invokeAsync: async (payload) => {
      await lambda.send(
        new InvokeCommand({ FunctionName: WORKER_FUNCTION_NAME, InvocationType: 'Event', Payload: new TextEncoder().encode(payload) }),
      );
    },
  },
  validateJob,
  newId: randomUUID,
  keepJobSeconds: Number(process.env.KEEP_JOB_SECONDS ?? String(30 * 24 * 3600)),
});
