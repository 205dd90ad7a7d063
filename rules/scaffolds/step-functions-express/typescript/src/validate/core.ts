/**
 * Workflow step 1 of {{patternName}}: validate and normalise the {{#if triggerEvent}}uploaded object{{else}}{{#if triggerSchedule}}scheduled run{{else}}{{#if webhook}}webhook delivery{{else}}request{{/if}}{{/if}}{{/if}}.
 *
 * Throwing ValidationError ends the execution as REJECTED: the state machine catches the error by its name
 * (the error's `name`, which Lambda reports as errorType), records it and stops without retrying. Any other
 * error is retried only if it is a transient Lambda service error, then recorded as FAILED.
{{#if triggerEvent}}
 *
 * The input is the EventBridge "Object Created" event S3 sent for an upload under incoming/ (the rule passes it
 * whole as `input`, and names the request bucket/key@ETag, so a repeated event for one upload is one request).
{{/if}}
{{#if triggerSchedule}}
 *
 * The input is what EventBridge Scheduler sends on every run: the scheduled time, the schedule's ARN, the
 * execution id and the attempt. The request id is the scheduled time, so a retried delivery is the same run.
{{/if}}
{{#if webhook}}
 *
 * The input is the payload the sender ({{sender}}) signed, already verified by ApiFunction; the request id is
 * the sender's delivery id.
{{/if}}
 */
export type Item = Record<string, unknown>;

/** The {{#if triggerEvent}}object{{else}}{{#if triggerSchedule}}run{{else}}request{{/if}}{{/if}} cannot be processed; Step Functions sees the error name "ValidationError". */
export class ValidationError extends Error {
  override name = 'ValidationError';
}

export interface ValidateEvent {
  requestId: string;
  input?: Item;
{{#if senderSlackCommand}}
  responseUrl?: string;
{{/if}}
}

export interface ValidateResult {
  requestId: string;
  work: Item;
{{#if senderSlackCommand}}
  /** The slash command's response_url: ProcessFunction posts the late answer there. */
  responseUrl: string | null;
{{/if}}
}

/** Returns the normalised work item; throw ValidationError with a message the {{#if front}}client{{else}}log{{/if}} may show. */
export type Validate = (work: Item) => Item | Promise<Item>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};
{{#if triggerEvent}}

export const INPUT_PREFIX = 'incoming/';

/** The object an S3 "Object Created" event (through EventBridge) names; ValidationError for anything else. */
export function uploadOf(event: Item): Item {
  if (event.source !== 'aws.s3' || event['detail-type'] !== 'Object Created') throw new ValidationError('not an S3 Object Created event');
  const detail = (event.detail ?? {}) as { bucket?: { name?: string }; object?: { key?: string; size?: number; etag?: string } };
  const bucket = detail.bucket?.name;
  const key = detail.object?.key;
  if (!bucket || !key) throw new ValidationError('the event names no bucket or key');
  if (!key.startsWith(INPUT_PREFIX) || key.endsWith('/')) throw new ValidationError(`${key} is not an object under ${INPUT_PREFIX}`);
  return { bucket, key, size: Number(detail.object?.size ?? 0), etag: String(detail.object?.etag ?? '') };
}
{{/if}}
{{#if triggerSchedule}}

/** The run a Scheduler invocation asks for; ValidationError when it has no valid scheduled time. */
export function runOf(input: Item): Item {
  const scheduled = String(input.scheduledTime ?? '');
  const at = new Date(scheduled);
  if (!scheduled || Number.isNaN(at.getTime())) throw new ValidationError(`scheduledTime '${scheduled}' is not an ISO 8601 time`);
  return { scheduledTime: at.toISOString().replace('.000Z', 'Z'), attempt: Number(input.attempt ?? 1) };
}
{{/if}}
{{#if webhook}}

/** The verified payload; ValidationError when the delivery carries nothing. */
export function deliveryOf(input: Item): Item {
  if (typeof input !== 'object' || input === null || Object.keys(input).length === 0) throw new ValidationError('the delivery has no payload');
  return input;
}
{{/if}}

export function makeHandler(deps: { validate: Validate; log?: Log }) {
  const log = deps.log ?? jsonLog;
  return async function handler(event: ValidateEvent): Promise<ValidateResult> {
{{#if triggerEvent}}
    const work = await deps.validate(uploadOf(event.input ?? {}));
{{/if}}
{{#if triggerSchedule}}
    const work = await deps.validate(runOf(event.input ?? {}));
{{/if}}
{{#if webhook}}
    const work = await deps.validate(deliveryOf(event.input ?? {}));
{{/if}}
{{#if triggerRequest}}
{{#unless webhook}}
    const work = await deps.validate(event.input ?? {});
{{/unless}}
{{/if}}
    log('info', 'request valid', { requestId: event.requestId });
{{#if senderSlackCommand}}
    return { requestId: event.requestId, work, responseUrl: event.responseUrl ?? null };
{{else}}
    return { requestId: event.requestId, work };
{{/if}}
  };
}
