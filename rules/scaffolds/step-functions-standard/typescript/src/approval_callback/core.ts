/**
 * The approver's decision in {{patternName}}: resume the waiting workflow.
 *
 *   POST /approvals/{approvalId}  {"decision": "approve" | "reject", "comment": "...", "notBefore": "2025-01-31T09:00:00Z"}
 *
 * The decision is recorded once (a conditional update from PENDING), then the stored task token is handed back
 * to Step Functions: SendTaskSuccess for an approval (its output becomes $.approval; with notBefore the
 * workflow waits until then), SendTaskFailure with the error "ApprovalRejected" for a rejection. A second
 * decision answers 409; a token that timed out (the step's TimeoutSeconds passed) answers 410.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export type Item = Record<string, unknown>;

/** DynamoDB calls on the approvals table (see app.ts). */
export interface Approvals {
  get(approvalId: string): Promise<Item | undefined>;
  /** Sets the decision only while the approval is PENDING; false when it was decided already. */
  decide(approvalId: string, status: string, approver: string, comment: string, decidedAt: number): Promise<boolean>;
  setStatus(approvalId: string, status: string): Promise<void>;
}

/** The Step Functions callback calls (see app.ts). */
export interface TaskCallbacks {
  sendTaskSuccess(taskToken: string, output: string): Promise<void>;
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void>;
}

export interface Decision {
  decision: 'approve' | 'reject';
  comment: string;
  notBefore?: string;
}

/** Throw Forbidden when `approver` may not decide on `request`. */
export type Authorize = (approver: string, request: Item, decision: Decision) => void | Promise<void>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

export class BadRequest extends Error {
  override name = 'BadRequest';
}

export class Forbidden extends Error {
  override name = 'Forbidden';
}

/** Step Functions errors meaning the workflow no longer waits for this token. */
export const TOKEN_GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export interface CallbackDeps {
  approvals: Approvals;
  callbacks: TaskCallbacks;
  authorize: Authorize;
  /** Epoch seconds. */
  now?: () => number;
  log?: Log;
}

/** An ISO 8601 time with a zone, as the RFC 3339 UTC form a Wait state's TimestampPath accepts. */
export function toTimestamp(value: unknown): string {
  const text = String(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    throw new BadRequest('notBefore must be an ISO 8601 time with a zone, such as 2025-01-31T09:00:00Z');
  }
  const moment = new Date(text);
  if (Number.isNaN(moment.getTime())) throw new BadRequest('notBefore is not a valid time');
  return moment.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function parseDecision(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Decision {
  let raw = event.body ?? '{}';
  if (event.isBase64Encoded) raw = Buffer.from(raw, 'base64').toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new BadRequest('body is not valid JSON');
  }
  const { decision, comment = '', notBefore } = (body ?? {}) as { decision?: unknown; comment?: unknown; notBefore?: unknown };
  if (decision !== 'approve' && decision !== 'reject') throw new BadRequest('decision must be "approve" or "reject"');
  if (typeof comment !== 'string' || comment.length > 1000) throw new BadRequest('comment must be a string of at most 1000 characters');
  const parsed: Decision = { decision, comment };
  if (notBefore !== undefined && notBefore !== null) parsed.notBefore = toTimestamp(notBefore);
  return parsed;
}

/**
 * Who decided: the signed-in caller the API authorized.
 *
 * ApprovalApi uses IAM auth (SigV4), so API Gateway puts the caller's ARN in requestContext.identity.userArn
 * (an assumed role's session, e.g. arn:aws:sts::123456789012:assumed-role/Approvers/lead@example.com). With a
 * Cognito or Lambda authorizer instead, its claims' email or its principalId is used.
 */
export function approverOf(event: Pick<APIGatewayProxyEvent, 'requestContext'>): string {
  const context = (event.requestContext ?? {}) as {
    authorizer?: { claims?: { email?: string }; principalId?: string } | null;
    identity?: { userArn?: string | null } | null;
  };
  const authorizer = context.authorizer ?? {};
  return String(authorizer.claims?.email || authorizer.principalId || context.identity?.userArn || 'anonymous');
}

function respond(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

function errorName(err: unknown): string {
  return typeof err === 'object' && err !== null ? String((err as { name?: unknown }).name) : '';
}

export function makeHandler(deps: CallbackDeps) {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const log = deps.log ?? jsonLog;

  return async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    const approvalId = event.pathParameters?.approvalId ?? '';
    let decision: Decision;
    try {
      decision = parseDecision(event);
    } catch (err) {
      if (err instanceof BadRequest) return respond(400, { error: err.message });
      throw err;
    }
    const approver = approverOf(event);

    const approval = approvalId ? await deps.approvals.get(approvalId) : undefined;
    if (approval === undefined) return respond(404, { error: 'no such approval' });
    try {
      await deps.authorize(approver, JSON.parse(String(approval.request ?? '{}')) as Item, decision);
    } catch (err) {
      if (err instanceof Forbidden) return respond(403, { error: err.message });
      throw err;
    }

    const status = decision.decision === 'approve' ? 'APPROVED' : 'REJECTED';
    if (!(await deps.approvals.decide(approvalId, status, approver, decision.comment, now()))) {
      const current = await deps.approvals.get(approvalId);
      return respond(409, { error: `already decided: ${String(current?.status)}` });
    }

    const taskToken = String(approval.taskToken);
    try {
      if (status === 'APPROVED') {
        const output: Item = { approved: true, approver, comment: decision.comment };
        if (decision.notBefore) output.notBefore = decision.notBefore;
        await deps.callbacks.sendTaskSuccess(taskToken, JSON.stringify(output));
      } else {
        await deps.callbacks.sendTaskFailure(taskToken, 'ApprovalRejected', decision.comment || `rejected by ${approver}`);
      }
    } catch (err) {
      if (TOKEN_GONE.has(errorName(err))) {
        await deps.approvals.setStatus(approvalId, 'EXPIRED');
        return respond(410, { error: 'the workflow no longer waits for this decision' });
      }
      await deps.approvals.setStatus(approvalId, 'PENDING'); // let the approver try again
      log('error', 'could not resume the workflow', { approvalId, error: String(err) });
      return respond(503, { error: 'could not resume the workflow; try again' });
    }

    log('info', 'decision recorded', { approvalId, status, approver });
    return respond(200, { approvalId, status });
  };
}
