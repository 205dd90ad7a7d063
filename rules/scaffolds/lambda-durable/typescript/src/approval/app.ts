/**
 * ApprovalFunction of {{patternName}}: wires SendDurableExecutionCallbackSuccess into core.ts.
 */
import { LambdaClient, SendDurableExecutionCallbackSuccessCommand } from '@aws-sdk/client-lambda';
import { makeHandler } from './core';

const lambda = new LambdaClient({});

export const handler = makeHandler({
  sendSuccess: async (callbackId, result) => {
    await lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId, Result: new TextEncoder().encode(result) }));
  },
});
