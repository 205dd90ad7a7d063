/**
 * ApprovalFunction of {{patternName}}: POST /approvals/{callbackId} with {"approved": true|false, "reason": "..."}
 * completes the workflow's approval callback (SendDurableExecutionCallbackSuccess); the execution resumes and the
 * callback returns this decision. A callback already answered or timed out gives 409. The approver is who the
 * API's IAM authorization says signed the request (requestContext.identity.userArn), never a name in the body.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export interface ApprovalDeps {
  sendSuccess(callbackId: string, result: string): Promise<void>;
}

const CALLBACK_ID = /^[A-Za-z0-9+/]{1,1024}={0,2}$/;

/** The signed caller's ARN: REST API IAM auth (identity.userArn), HTTP API IAM auth (authorizer.iam.userArn). */
export function callerOf(event: Pick<APIGatewayProxyEvent, 'requestContext'>): string {
  const context = (event.requestContext ?? {}) as { identity?: { userArn?: string | null }; authorizer?: { iam?: { userArn?: string } } | null };
  return context.identity?.userArn || context.authorizer?.iam?.userArn || '';
}

function respond(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export function makeHandler(deps: ApprovalDeps) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const callbackId = event.pathParameters?.callbackId ?? '';
    if (!CALLBACK_ID.test(callbackId)) return respond(400, { error: 'callbackId is not a durable execution callback id' });
    const approver = callerOf(event);
    if (!approver) return respond(401, { error: 'no caller identity: the approvals route must use IAM authorization' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '{}');
    } catch {
      return respond(400, { error: 'body is not valid JSON' });
    }
    if (typeof body !== 'object' || body === null || typeof body.approved !== 'boolean') {
      return respond(400, { error: 'body must be {"approved": true|false, "reason": "..."}' });
    }
    // BUSINESS LOGIC: check that `approver` (the caller's IAM ARN) may approve this order; answer 403 if not.
    const decision = { approved: body.approved, approver, reason: String(body.reason ?? '') };
    try {
      await deps.sendSuccess(callbackId, JSON.stringify(decision));
    } catch (err) {
      if ((err as Error).name === 'CallbackTimeoutException') return respond(409, { error: 'this approval was already answered or has timed out' });
      throw err;
    }
    return respond(200, { recorded: decision });
  };
}
