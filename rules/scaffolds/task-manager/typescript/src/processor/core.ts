// Task-processor plumbing: status reports as TaskUpdated events. No AWS SDK at run time.
import type { EventBridgeEvent } from 'aws-lambda';
import type { PutEventsCommandInput, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';

/** Throw from processTask() for a failure retrying cannot fix: the task is reported FAILED. */
export class TaskFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskFailed';
  }
}

export interface TaskCreatedDetail {
  eventId?: string;
  taskId: string;
  taskType: string;
  status: 'CREATED';
  payload?: Record<string, unknown>;
}

export interface Events {
  putEvents(input: PutEventsCommandInput): Promise<{ FailedEntryCount?: number; Entries?: PutEventsResultEntry[] }>;
}

/** Where results too big for an event or a task record go (S3 PutObject on RESULTS_BUCKET, see app.ts). */
export interface ResultStore {
  bucket: string;
  put(key: string, body: string): Promise<void>;
}

/**
 * A result bigger than this goes to S3 and the event carries where it is: an EventBridge event holds 256 KB and a
 * DynamoDB item 400 KB, so an inline result above that would leave the task RUNNING forever.
 */
export const INLINE_RESULT_BYTES = 200 * 1024;

export interface Deps {
  events: Events;
  eventBusName: string;
  source: string;
  results: ResultStore;
  inlineResultBytes?: number;
  processTask: (taskId: string, payload: Record<string, unknown>) => Promise<unknown>;
  log?: (entry: Record<string, unknown>) => void;
}

export function makeHandler(deps: Deps) {
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));

  /** The event's fields with a result too big for an event (or the task record) replaced by its S3 location. */
  async function storedIfLarge(taskId: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!('result' in fields)) return fields;
    const body = JSON.stringify(fields.result ?? null);
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes <= (deps.inlineResultBytes ?? INLINE_RESULT_BYTES)) return fields;
    const key = `results/${taskId}.json`; // one key per task: a retry overwrites the same object
    await deps.results.put(key, body);
    log({ level: 'INFO', message: 'result stored in S3', taskId, bytes, key });
    const { result: _inline, ...rest } = fields;
    return { ...rest, resultLocation: { bucket: deps.results.bucket, key, bytes } };
  }

  /** Send a TaskUpdated event; throw if EventBridge did not accept it. */
  async function report(taskId: string, status: 'RUNNING' | 'SUCCESSFUL' | 'FAILED', fields: Record<string, unknown> = {}) {
    const res = await deps.events.putEvents({
      Entries: [{
        EventBusName: deps.eventBusName,
        Source: deps.source,
        DetailType: 'TaskUpdated',
        Detail: JSON.stringify({ taskId, status, ...(await storedIfLarge(taskId, fields)) }),
      }],
    });
    if (res.FailedEntryCount) {
      throw new Error(`TaskUpdated ${status} for ${taskId} was not accepted: ${JSON.stringify(res.Entries)}`);
    }
  }

  return async function handler(event: EventBridgeEvent<'TaskCreated', TaskCreatedDetail>) {
    const { taskId, taskType } = event.detail;
    log({ level: 'INFO', message: 'task received', taskId, taskType });
    await report(taskId, 'RUNNING');
    let result: unknown;
    try {
      result = await deps.processTask(taskId, event.detail.payload ?? {});
    } catch (err) {
      if (!(err instanceof TaskFailed)) throw err; // Lambda retries; the last failure reaches the bus
      await report(taskId, 'FAILED', { error: err.message });
      log({ level: 'WARN', message: 'task failed', taskId, error: err.message });
      return { taskId, status: 'FAILED' };
    }
    await report(taskId, 'SUCCESSFUL', { result: result ?? null });
    log({ level: 'INFO', message: 'task successful', taskId });
    return { taskId, status: 'SUCCESSFUL' };
  };
}
