/**
 * RequestApproval Lambda (the .waitForTaskToken step) for {{patternName}}: wires DynamoDB into core.ts.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { jsonLog, makeHandler, type Item } from './core';

const TABLE_NAME = process.env.TABLE_NAME ?? '';

/** Tells the approver what to decide and where: POST {"decision": "approve" | "reject"} to `url`. */
async function notifyApprover(approvalId: string, url: string, request: Item): Promise<void> {
  // BUSINESS LOGIC: send the approval request here (SES e-mail, Slack, a ticket); the sample only logs it.
  jsonLog('info', 'approval needed', { approvalId, decideAt: url, request });
}

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = makeHandler({
  approvals: {
    putNew: async (item) => {
      await doc.send(new PutCommand({ TableName: TABLE_NAME, Item: item, ConditionExpression: 'attribute_not_exists(approvalId)' }));
    },
  },
  notifyApprover,
  approvalUrl: process.env.APPROVAL_URL ?? '',
  keepSeconds: Number(process.env.KEEP_SECONDS ?? String(8 * 24 * 3600)),
  newId: () => randomBytes(16).toString('base64url'),
});
