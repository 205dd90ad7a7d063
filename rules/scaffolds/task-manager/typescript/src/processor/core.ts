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

export interface Deps {
  events: Events;
  eventBusName: string;
  source: string;
  processTask: (taskId: string, payload: Record<string, unknown>) => Promise<unknown>;
  log?: (entry: Record<string, unknown>) => void;
}

export function makeHandler(deps: Deps) {
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));

  /** Send a TaskUpdated event; throw if EventBridge did not accept it. */
  async function report(taskId: string, status: 'RUNNING' | 'SUCCESSFUL' | 'FAILED', fields: Record<string, unknown> = {}) {
    const res = await deps.events.putEvents({
      Entries: [{
        EventBusName: deps.eventBusName,
        Source: deps.source,
        DetailType: 'TaskUpdated',
        Detail: JSON.stringify({ taskId, status, ...fields }),
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
