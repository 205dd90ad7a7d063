/**
 * API Lambda for {{patternName}}: wires DynamoDB into core.ts (time budget, continuation tokens, leases)
 * and holds your step logic.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { BadRequest, makeHandler, type Item, type Step } from './core';

const TABLE_NAME = process.env.TABLE_NAME ?? '';

/** One bounded step (at most MAX_STEP_SECONDS); says where to continue and whether the work is done. */
async function runStep(input: Item, cursor: unknown, partial: unknown): Promise<Step> {
  // BUSINESS LOGIC: do one step of the work here and report where to continue (throw BadRequest to reject the input).
  const items = input.items;
  if (!Array.isArray(items)) throw new BadRequest('items must be a list');
  let index = typeof cursor === 'number' ? cursor : 0;
  let result = (partial as { processed: number; characters: number } | undefined) ?? { processed: 0, characters: 0 };
  if (index < items.length) {
    result = { processed: result.processed + 1, characters: result.characters + String(items[index]).length };
    index += 1;
  }
  return { cursor: index, partial: result, done: index >= items.length };
}

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = makeHandler({
  table: {
    put: async (item, condition) => {
      await doc.send(new PutCommand({ TableName: TABLE_NAME, Item: item, ...condition }));
    },
    get: async (token) => (await doc.send(new GetCommand({ TableName: TABLE_NAME, Key: { token }, ConsistentRead: true }))).Item,
    update: async (token, update) =>
      (await doc.send(new UpdateCommand({ TableName: TABLE_NAME, Key: { token }, ReturnValues: 'ALL_NEW', ...update }))).Attributes ?? {},
    delete: async (token) => {
      await doc.send(new DeleteCommand({ TableName: TABLE_NAME, Key: { token } }));
    },
  },
  runStep,
  newToken: () => randomBytes(24).toString('base64url'),
  windowSeconds: Number(process.env.API_WINDOW_SECONDS ?? '29'),
  safetySeconds: Number(process.env.SAFETY_SECONDS ?? '2'),
  maxStepSeconds: Number(process.env.MAX_STEP_SECONDS ?? '5'),
  tokenTtlSeconds: Number(process.env.TOKEN_TTL_SECONDS ?? '3600'),
});
