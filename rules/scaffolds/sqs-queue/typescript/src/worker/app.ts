/**
 * Worker Lambda for {{patternName}}: consumes the task queue with partial batch responses.
 *
 * This file wires the AWS SDK into core.ts (partial batch responses, idempotent claims in DynamoDB,
 * releasing a claim on failure) and holds your task logic.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { makeHandler, type Item, type TaskTable } from './core';
{{#if webhook}}
import { fetchPost } from './webhook-auth';
{{/if}}

const TABLE_NAME = process.env.TABLE_NAME ?? '';

/** Runs one task. Throw to have the message retried (and dead-lettered after maxReceiveCount). */
async function processTask(taskId: string, payload: Item): Promise<unknown> {
  // BUSINESS LOGIC: do the work for one task here; it must finish well within the function timeout.
  return { taskId, fields: Object.keys(payload).sort() };
}

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

const table: TaskTable = {
  put: async (input) => {
    await doc.send(new PutCommand({ TableName: TABLE_NAME, ...input }));
  },
  get: async (key) => (await doc.send(new GetCommand({ TableName: TABLE_NAME, Key: key, ConsistentRead: true }))).Item,
  update: async (input) => {
    await doc.send(new UpdateCommand({ TableName: TABLE_NAME, ...input }));
  },
  delete: async (input) => {
    await doc.send(new DeleteCommand({ TableName: TABLE_NAME, ...input }));
  },
};

export const handler = makeHandler({
  table,
{{#if webhook}}
  postJson: fetchPost,
{{/if}}
  processTask,
  leaseSeconds: Number(process.env.LEASE_SECONDS ?? '120'),
  keepDoneSeconds: Number(process.env.KEEP_DONE_SECONDS ?? String(7 * 24 * 3600)),
});
