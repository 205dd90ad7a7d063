/**
 * ApprovalFunction of {{patternName}}: POST /approvals/{callbackId} with {"approved": true|false, ...} completes the
 * workflow's approval callback (SendDurableExecutionCallbackSuccess); the execution resumes and the callback returns
 * this decision. A callback already answered or timed out gives 409.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export interface ApprovalDeps {
  sendSuccess(callbackId: string, result: string): Promise<void>;
}

const CALLBACK_ID = /^[A-Za-z0-9+/]{1,1024}={0,2}$/;

function respond(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export function makeHandler(deps: ApprovalDeps) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const callbackId = event.pathParameters?.callbackId ?? '';
    if (!CALLBACK_ID.test(callbackId)) return respond(400, { error: 'callbackId is not a durable execution callback id' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '{}');
    } catch {
      return respond(400, { error: 'body is not valid JSON' });
    }
    if (typeof body !== 'object' || body === null || typeof body.approved !== 'boolean') {
      return respond(400, { error: 'body must be {"approved": true|false, "approver": "...", "reason": "..."}' });
    }
    // BUSINESS LOGIC: check that the caller may approve this order (the API's IAM auth says who they are).
    const decision = { approved: body.approved, approver: String(body.approver ?? ''), reason: String(body.reason ?? '') };
    try {
      await deps.sendSuccess(callbackId, JSON.stringify(decision));
    } catch (err) {
      if ((err as Error).name === 'CallbackTimeoutException') return respond(409, { error: 'this approval was already answered or has timed out' });
      throw err;
    }
    return respond(200, { recorded: decision });
  };
}
