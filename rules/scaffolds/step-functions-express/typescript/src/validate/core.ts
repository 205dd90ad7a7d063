/**
 * Workflow step 1 of {{patternName}}: validate and normalise the request.
 *
 * Throwing ValidationError ends the execution as REJECTED: the state machine catches the error by its name
 * (the error's `name`, which Lambda reports as errorType), records it and stops without retrying. Any other
 * error is retried only if it is a transient Lambda service error, then recorded as FAILED.
 */
export type Item = Record<string, unknown>;

/** The request cannot be processed; Step Functions sees the error name "ValidationError". */
export class ValidationError extends Error {
  override name = 'ValidationError';
}

export interface ValidateEvent {
  requestId: string;
  input?: Item;
}

export interface ValidateResult {
  requestId: string;
  order: Item;
}

/** Returns the normalised order; throw ValidationError with a message the client may see. */
export type ValidateOrder = (order: Item) => Item | Promise<Item>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

export function makeHandler(deps: { validateOrder: ValidateOrder; log?: Log }) {
  const log = deps.log ?? jsonLog;
  return async function handler(event: ValidateEvent): Promise<ValidateResult> {
    const order = await deps.validateOrder(event.input ?? {});
    log('info', 'request valid', { requestId: event.requestId });
    return { requestId: event.requestId, order };
  };
}
