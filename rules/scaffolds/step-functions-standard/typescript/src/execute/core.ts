/**
 * The work of {{patternName}}, run once a person has approved the request.
 *
 * The Standard workflow invokes this function after the approval (and after waiting until the approver's
 * notBefore time, when one was given). Step Functions retries transient Lambda errors and TransientError with
 * backoff; anything else goes to HandleFailure. A retry invokes the function again, so keep side effects
 * idempotent on the execution id (for example a conditional write keyed by it).
{{#if triggerEvent}}
 *
 * The request is the EventBridge "Object Created" event S3 sent for an upload under incoming/ (uploadOf names
 * the object).
{{/if}}
{{#if triggerSchedule}}
 *
 * The request is what EventBridge Scheduler sent for one run: its scheduled time, the schedule's ARN, the
 * execution id and the attempt.
{{/if}}
{{#if webhook}}
 *
 * The request is the verified delivery of the sender ({{sender}}): {sender, deliveryId, payload{{#if senderSlackCommand}}, responseUrl{{/if}}}.
{{/if}}
{{#if senderSlackCommand}}
 * A slash command gets its late answer when the work is done, posted to its response_url; Slack takes answers
 * there for 30 minutes only, so after a long approval the post fails and is logged, and the work still counts.
{{/if}}
 */
{{#if senderSlackCommand}}
import { postLateAnswer, type PostJson } from './webhook-auth';

{{/if}}
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

{{#if triggerEvent}}
/** The object an S3 "Object Created" event (through EventBridge) names. */
export function uploadOf(event: Item): { bucket: string; key: string; size: number; etag: string } {
  const detail = (event.detail ?? {}) as { bucket?: { name?: string }; object?: { key?: string; size?: number; etag?: string } };
  return { bucket: String(detail.bucket?.name ?? ''), key: String(detail.object?.key ?? ''), size: Number(detail.object?.size ?? 0), etag: String(detail.object?.etag ?? '') };
}

{{/if}}
export function makeHandler(deps: { executeRequest: ExecuteRequest; {{#if senderSlackCommand}}postJson: PostJson; {{/if}}log?: Log }) {
  const log = deps.log ?? jsonLog;
  return async function handler(event: ExecuteEvent): Promise<unknown> {
    const approval = event.approval ?? {};
    log('info', 'executing approved request', { executionId: event.executionId, approver: approval.approver });
    const result = await deps.executeRequest(event.executionId, event.request ?? {}, approval);
    log('info', 'request executed', { executionId: event.executionId });
{{#if senderSlackCommand}}
    const responseUrl = event.request?.responseUrl;
    if (typeof responseUrl === 'string' && responseUrl) {
      try {
        await postLateAnswer(deps.postJson, responseUrl, { response_type: 'ephemeral', text: `Done: ${JSON.stringify(result)}` });
      } catch (err) {
        // an expired response_url must not fail work that is done
        log('warn', 'late answer not posted', { executionId: event.executionId, reason: (err as Error).message });
      }
    }
{{/if}}
    return result;
  };
}
