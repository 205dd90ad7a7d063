/**
 * Workflow step 2 of {{patternName}}: do the work for a validated request.
 *
 * Step Functions invokes this function synchronously and retries transient Lambda errors, and TransientError
 * (throw it for a dependency that may recover within seconds), with backoff; anything else fails the
 * execution, which records it as FAILED. The workflow stores what this returns in the results table with a
 * conditional write, so a duplicate execution (asynchronous Express is at-least-once) cannot overwrite the
 * first result: keep side effects idempotent on the request id too.
 */
export type Item = Record<string, unknown>;

/** A failure worth retrying; the state machine retries it twice with backoff. */
export class TransientError extends Error {
  override name = 'TransientError';
}

export interface ProcessEvent {
  requestId: string;
  order: Item;
}

export interface ProcessResult {
  requestId: string;
  result: unknown;
}

/** Returns a JSON-serialisable result (kept in DynamoDB: stay under 350 KB, else store it in S3). */
export type ProcessOrder = (requestId: string, order: Item) => Promise<unknown>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

export function makeHandler(deps: { processOrder: ProcessOrder; log?: Log }) {
  const log = deps.log ?? jsonLog;
  return async function handler(event: ProcessEvent): Promise<ProcessResult> {
    const result = await deps.processOrder(event.requestId, event.order);
    log('info', 'request processed', { requestId: event.requestId });
    return { requestId: event.requestId, result };
  };
}
