/**
 * Workflow step 2 of {{patternName}}: do the work for a validated {{#if triggerEvent}}upload{{else}}{{#if triggerSchedule}}scheduled run{{else}}{{#if webhook}}webhook delivery{{else}}request{{/if}}{{/if}}{{/if}}.
 *
 * Step Functions invokes this function synchronously and retries transient Lambda errors, and TransientError
 * (throw it for a dependency that may recover within seconds), with backoff; anything else fails the
 * execution, which records it as FAILED. The workflow stores what this returns in the results table with a
 * conditional write, so a duplicate execution (asynchronous Express is at-least-once) cannot overwrite the
 * first result: keep side effects idempotent on the request id too.
{{#if senderSlackCommand}}
 *
 * A slash command gets its late answer here: when the work is done, the result is posted to the command's
 * response_url (valid 30 minutes, up to 5 answers).
{{/if}}
 */
{{#if senderSlackCommand}}
import { postLateAnswer, type PostJson } from './webhook-auth';

{{/if}}
export type Item = Record<string, unknown>;

/** A failure worth retrying; the state machine retries it twice with backoff. */
export class TransientError extends Error {
  override name = 'TransientError';
}

export interface ProcessEvent {
  requestId: string;
  work: Item;
{{#if senderSlackCommand}}
  responseUrl?: string | null;
{{/if}}
}

export interface ProcessResult {
  requestId: string;
  result: unknown;
}

/** Returns a JSON-serialisable result (kept in DynamoDB: stay under 350 KB, else store it in S3). */
export type ProcessWork = (requestId: string, work: Item) => Promise<unknown>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};
{{#if senderSlackCommand}}

/** The slash command's late answer: what the user sees in Slack when the work is done. */
export function lateAnswer(result: unknown): Item {
  return { response_type: 'ephemeral', text: `Done: ${JSON.stringify(result)}` };
}
{{/if}}

export function makeHandler(deps: { process: ProcessWork; {{#if senderSlackCommand}}postJson: PostJson; {{/if}}log?: Log }) {
  const log = deps.log ?? jsonLog;
  return async function handler(event: ProcessEvent): Promise<ProcessResult> {
    const result = await deps.process(event.requestId, event.work);
    log('info', 'request processed', { requestId: event.requestId });
{{#if senderSlackCommand}}
    if (event.responseUrl) {
      await postLateAnswer(deps.postJson, event.responseUrl, lateAnswer(result));
      log('info', 'late answer posted', { requestId: event.requestId });
    }
{{/if}}
    return { requestId: event.requestId, result };
  };
}
