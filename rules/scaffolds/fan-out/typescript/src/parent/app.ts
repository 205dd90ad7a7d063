/**
 * Parent Lambda for {{patternName}}: wires DynamoDB and SQS into core.ts (chunking, idempotent submission).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { makeHandler } from './core';

const TABLE_NAME = process.env.TABLE_NAME ?? '';
const QUEUE_URL = process.env.QUEUE_URL ?? '';

/** Checks or transforms the items before they are split; throw `new BadRequest(...)` (from ./core) to answer 400. */
async function prepareItems(items: unknown[]): Promise<unknown[]> {
  // BUSINESS LOGIC: validate the batch's items here (each child receives a slice of what this returns).
  return items;
}

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sqs = new SQSClient({});

export const handler = makeHandler({
  table: {
    put: async (item, condition) => {
      await doc.send(new PutCommand({ TableName: TABLE_NAME, Item: item, ...condition }));
    },
    get: async (key) => (await doc.send(new GetCommand({ TableName: TABLE_NAME, Key: key, ConsistentRead: true }))).Item,
    update: async (key, update) => {
      await doc.send(new UpdateCommand({ TableName: TABLE_NAME, Key: key, ...update }));
    },
  },
  queue: {
    sendBatch: async (entries) => {
      const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: QUEUE_URL, Entries: entries }));
      return (out.Failed ?? []).map((f: { Id?: string }) => String(f.Id));
    },
  },
  prepareItems,
  chunkSize: Number(process.env.CHUNK_SIZE ?? '100'),
  maxItems: Number(process.env.MAX_ITEMS ?? '10000'),
  keepSeconds: Number(process.env.KEEP_SECONDS ?? String(7 * 24 * 3600)),
  newId: randomUUID,
});
