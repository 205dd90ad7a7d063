/**
 * Child Lambda for {{patternName}}: one chunk per SQS message. core.ts skips and never double-counts
 * duplicate chunks and starts the aggregator after the last one; this file wires the SDK and holds your
 * per-item logic.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { makeHandler } from './core';

const TABLE_NAME = process.env.TABLE_NAME ?? '';
const AGGREGATOR_FUNCTION_NAME = process.env.AGGREGATOR_FUNCTION_NAME ?? '';

/** Processes one item of the batch and returns its JSON-serialisable result. Throw to retry the chunk. */
async function processItem(batchId: string, item: unknown): Promise<unknown> {
  // BUSINESS LOGIC: process one item here; it runs once per item, up to 50 chunks in parallel.
  return { item, length: JSON.stringify(item).length };
}

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const lambda = new LambdaClient({});

export const handler = makeHandler({
  table: {
    get: async (key) => (await doc.send(new GetCommand({ TableName: TABLE_NAME, Key: key, ConsistentRead: true }))).Item,
    put: async (item, condition) => {
      await doc.send(new PutCommand({ TableName: TABLE_NAME, Item: item, ...condition }));
    },
    update: async (key, update) =>
      (await doc.send(new UpdateCommand({ TableName: TABLE_NAME, Key: key, ReturnValues: 'ALL_NEW', ...update }))).Attributes ?? {},
  },
  aggregator: {
    invokeAsync: async (payload) => {
      await lambda.send(
        new InvokeCommand({ FunctionName: AGGREGATOR_FUNCTION_NAME, InvocationType: 'Event', Payload: new TextEncoder().encode(payload) }),
      );
    },
  },
  processItem,
  keepSeconds: Number(process.env.KEEP_SECONDS ?? String(7 * 24 * 3600)),
});
