/**
 * Aggregator Lambda for {{patternName}}: invoked asynchronously (retries and an on-failure SQS destination in
 * template.yaml). core.ts claims the finished batch once; this file wires DynamoDB and holds your combination.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { makeHandler, type Item } from './core';
{{#if senderSlackCommand}}
import { fetchPost } from './webhook-auth';
{{/if}}

const TABLE_NAME = process.env.TABLE_NAME ?? '';

/** Combines the per-chunk result lists (in chunk order) into the batch result (<= 350 KB, else S3). */
async function combine(batchId: string, chunkResults: unknown[][]): Promise<unknown> {
  // BUSINESS LOGIC: combine the results here (sum, merge, write a report to S3 and return its key).
  const items = chunkResults.flat() as { length?: number }[];
  return { items: items.length, totalLength: items.reduce((sum, r) => sum + Number(r.length ?? 0), 0) };
}

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = makeHandler({
  table: {
    get: async (key) => (await doc.send(new GetCommand({ TableName: TABLE_NAME, Key: key, ConsistentRead: true }))).Item,
    update: async (key, update) => {
      await doc.send(new UpdateCommand({ TableName: TABLE_NAME, Key: key, ...update }));
    },
    chunks: async (batchId) => {
      const items: Item[] = [];
      let start: Item | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: TABLE_NAME,
            KeyConditionExpression: 'batchId = :batchId AND begins_with(sk, :chunk)',
            ExpressionAttributeValues: { ':batchId': batchId, ':chunk': 'CHUNK#' },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    },
  },
  combine,
{{#if senderSlackCommand}}
  post: fetchPost,
{{/if}}
});
