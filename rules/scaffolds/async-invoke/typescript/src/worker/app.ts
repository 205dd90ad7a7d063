/**
 * Worker Lambda for {{patternName}}: invoked with InvocationType "Event" by the API. Retries, maximum event
 * age and the on-failure SQS destination are in template.yaml (EventInvokeConfig); core.ts claims the job
 * by id so a duplicate delivery does not run it twice.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
{{#if triggerEvent}}
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
{{else}}
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
{{/if}}
import { makeHandler, type Item } from './core';

const TABLE_NAME = process.env.TABLE_NAME ?? '';

/** Does the work; throw to fail this attempt. Must finish within the function timeout (15 min max). */
async function runJob(jobId: string, input: Item): Promise<unknown> {
{{#if triggerEvent}}
  // input is { bucket, key, size }: read the object with GetObjectCommand of @aws-sdk/client-s3 (add it to
  // package.json; the function may read the uploads bucket).
{{/if}}
  // BUSINESS LOGIC: the long-running work goes here; return a JSON-serialisable result (<= 350 KB, else S3).
  return { jobId, inputKeys: Object.keys(input).sort() };
}

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = makeHandler({
  jobs: {
    update: async (jobId, update) =>
      (await doc.send(new UpdateCommand({ TableName: TABLE_NAME, Key: { jobId }, ReturnValues: 'ALL_NEW', ...update }))).Attributes ?? {},
    get: async (jobId) => (await doc.send(new GetCommand({ TableName: TABLE_NAME, Key: { jobId }, ConsistentRead: true }))).Item,
{{#if triggerEvent}}
    put: async (item, conditionExpression) => {
      await doc.send(new PutCommand({ TableName: TABLE_NAME, Item: item, ConditionExpression: conditionExpression }));
    },
{{/if}}
  },
  runJob,
  maxAttempts: Number(process.env.MAX_ATTEMPTS ?? '3'),
  leaseSeconds: Number(process.env.LEASE_SECONDS ?? '900'),
});
