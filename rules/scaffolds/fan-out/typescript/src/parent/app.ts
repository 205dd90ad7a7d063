/**
 * Parent Lambda for {{patternName}}: wires DynamoDB and SQS into core.ts (chunking, idempotent submission).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { makeHandler } from './core';
{{#if triggerEvent}}
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
{{/if}}
{{#if webhook}}
import { isSender, SENDERS, type Sender } from './webhook-auth';
{{/if}}

const TABLE_NAME = process.env.TABLE_NAME ?? '';
const QUEUE_URL = process.env.QUEUE_URL ?? '';

/** Checks or transforms the items before they are split; throw `new BadRequest(...)` (from ./core) to answer 400. */
async function prepareItems(items: unknown[]): Promise<unknown[]> {
  // BUSINESS LOGIC: validate the batch's items here (each child receives a slice of what this returns).
  return items;
}

{{#if triggerSchedule}}
/** The items of the run scheduled at `scheduledTime` (ISO 8601). */
async function listRunItems(scheduledTime: string): Promise<unknown[]> {
  // Demo: ITEMS_PER_RUN numbered items. Replace with the run's real work list: the rows changed since the
  // last run, the files of yesterday's prefix, the accounts to report on.
  return Array.from({ length: Number(process.env.ITEMS_PER_RUN ?? '250') }, (_, n) => ({ run: scheduledTime, n }));
}

{{/if}}
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
{{#if triggerEvent}}
const s3 = new S3Client({});
{{/if}}
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
{{#if triggerEvent}}
  readObject: async (bucket, key) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return out.Body ? out.Body.transformToString('utf8') : '';
  },
{{/if}}
{{#if triggerSchedule}}
  listRunItems,
{{/if}}
{{#if webhook}}
  sender: senderOf(process.env.WEBHOOK_SENDER ?? 'generic'),
  signingSecret: process.env.SIGNING_SECRET ?? '',
  signatureHeader: process.env.SIGNATURE_HEADER,
{{/if}}
  chunkSize: Number(process.env.CHUNK_SIZE ?? '100'),
  maxItems: Number(process.env.MAX_ITEMS ?? '10000'),
  keepSeconds: Number(process.env.KEEP_SECONDS ?? String(7 * 24 * 3600)),
  newId: randomUUID,
});
{{#if webhook}}

function senderOf(value: string): Sender {
  if (!isSender(value)) throw new Error(`WEBHOOK_SENDER '${value}' is not a sender; one of ${SENDERS.join(', ')}`);
  return value;
}
{{/if}}
