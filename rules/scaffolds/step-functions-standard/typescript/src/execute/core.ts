/**
 * The work of {{patternName}}, run once a person has approved the request.
 *
 * The Standard workflow invokes this function after the approval (and after waiting until the approver's
 * notBefore time, when one was given). Step Functions retries transient Lambda errors and TransientError with
 * backoff; anything else goes to HandleFailure. A retry invokes the function again, so keep side effects
 * idempotent on the execution id (for example a conditional write keyed by it).
 */
export type Item = Record<string, unknown>;

/** A failure worth retrying; the workflow retries it up to 5 times with backoff. */
export class TransientError extends Error {
  override name = 'TransientError';
}

export interface ExecuteEvent {
  executionId: string;
  request?: Item;
  approval?: Item;
}

/** Does the approved work (at most 15 min); returns a JSON-serialisable result the workflow keeps. */
export type ExecuteRequest = (executionId: string, request: Item, approval: Item) => Promise<unknown>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

export function makeHandler(deps: { executeRequest: ExecuteRequest; log?: Log }) {
  const log = deps.log ?? jsonLog;
  return async function handler(event: ExecuteEvent): Promise<unknown> {
    const approval = event.approval ?? {};
    log('info', 'executing approved request', { executionId: event.executionId, approver: approval.approver });
    const result = await deps.executeRequest(event.executionId, event.request ?? {}, approval);
    log('info', 'request executed', { executionId: event.executionId });
    return result;
  };
}
