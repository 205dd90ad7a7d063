/**
 * StartFunction of {{patternName}}: wires the Lambda client (InvocationType "Event" through the alias) into core.ts.
 */
import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { makeHandler } from './core';

const lambda = new LambdaClient({});
const WORKFLOW_FUNCTION = process.env.WORKFLOW_FUNCTION ?? '';

export const handler = makeHandler({
  startExecution: async (name, payload) => {
    const out = await lambda.send(new InvokeCommand({
      FunctionName: WORKFLOW_FUNCTION,
      InvocationType: 'Event',
      DurableExecutionName: name,
      Payload: new TextEncoder().encode(payload),
    }));
    return out.DurableExecutionArn;
  },
  newId: randomUUID,
});
