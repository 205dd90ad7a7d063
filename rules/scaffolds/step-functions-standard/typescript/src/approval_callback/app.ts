/**
 * ApprovalCallback Lambda for {{patternName}}: wires DynamoDB and the Step Functions callback API into core.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Forbidden, makeHandler, type Decision, type Item } from './core';

const TABLE_NAME = process.env.TABLE_NAME ?? '';

/** Throw Forbidden when `approver` may not decide on `request`. */
async function authorize(approver: string, request: Item, decision: Decision): Promise<void> {
  // BUSINESS LOGIC: check who may approve what here (an authorizer's claims, an approvers list, amount limits).
  if (decision.decision === 'approve' && approver === request.requester) {
    throw new Forbidden('requesters may not approve their own requests');
  }
}

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sfn = new SFNClient({});

export const handler = makeHandler({
  approvals: {
    get: async (approvalId) => (await doc.send(new GetCommand({ TableName: TABLE_NAME, Key: { approvalId }, ConsistentRead: true }))).Item,
    decide: async (approvalId, status, approver, comment, decidedAt) => {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: TABLE_NAME,
            Key: { approvalId },
            UpdateExpression: 'SET #status = :status, decidedAt = :now, approver = :approver, #comment = :comment',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status', '#comment': 'comment' },
            ExpressionAttributeValues: { ':status': status, ':pending': 'PENDING', ':now': decidedAt, ':approver': approver, ':comment': comment },
          }),
        );
        return true;
      } catch (err) {
        if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
        throw err;
      }
    },
    setStatus: async (approvalId, status) => {
      await doc.send(
        new UpdateCommand({
          TableName: TABLE_NAME,
          Key: { approvalId },
          UpdateExpression: 'SET #status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status },
        }),
      );
    },
  },
  callbacks: {
    sendTaskSuccess: async (taskToken, output) => {
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output }));
    },
    sendTaskFailure: async (taskToken, error, cause) => {
      await sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));
    },
  },
  authorize,
});
