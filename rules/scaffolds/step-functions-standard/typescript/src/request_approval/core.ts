/**
 * The approval step of {{patternName}}: store the task token and ask a person to decide.
 *
 * The state machine invokes this function through `arn:aws:states:::lambda:invoke.waitForTaskToken` and then
 * pauses, with no compute running, until someone calls SendTaskSuccess or SendTaskFailure with the token, or
 * the step's TimeoutSeconds (7 days) passes. The token is stored under a new random approval id; the approver
 * gets a link with that id, never the token itself.
 */
export type Item = Record<string, unknown>;

export interface ApprovalRequestEvent {
  taskToken: string;
  executionId: string;
  request?: Item;
}

/** PutItem on the approvals table; must refuse an existing approvalId (attribute_not_exists). */
export interface Approvals {
  putNew(item: Item): Promise<void>;
}

/** Tells the approver what to decide and where: POST {"decision": "approve" | "reject"} to `url`. */
export type NotifyApprover = (approvalId: string, url: string, request: Item) => Promise<void>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

export interface RequestApprovalDeps {
  approvals: Approvals;
  notifyApprover: NotifyApprover;
  approvalUrl: string;
  /** Keep an approval longer than the step's TimeoutSeconds. */
  keepSeconds: number;
  newId: () => string;
  /** Epoch seconds. */
  now?: () => number;
  log?: Log;
}

export function makeHandler(deps: RequestApprovalDeps) {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const log = deps.log ?? jsonLog;
  return async function handler(event: ApprovalRequestEvent): Promise<{ approvalId: string }> {
    const approvalId = deps.newId();
    const at = now();
    const request = event.request ?? {};
    await deps.approvals.putNew({
      approvalId,
      taskToken: event.taskToken,
      executionId: event.executionId,
      status: 'PENDING',
      request: JSON.stringify(request),
      createdAt: at,
      expiresAt: at + deps.keepSeconds,
    });
    await deps.notifyApprover(approvalId, `${deps.approvalUrl}/${approvalId}`, request);
    log('info', 'approval requested', { approvalId, executionId: event.executionId });
    return { approvalId };
  };
}
