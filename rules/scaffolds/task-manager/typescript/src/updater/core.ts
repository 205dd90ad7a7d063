// Task status updater: TaskUpdated events from processors, and Lambda failure-destination records for
// processor invocations that failed every retry, become conditional writes that allow only forward moves:
// CREATED -> RUNNING -> SUCCESSFUL | FAILED. A late, repeated or out-of-order update is dropped.
import type { EventBridgeEvent } from 'aws-lambda';
import type { AttributeValue, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';

export const ALLOWED_FROM: Record<string, string[]> = {
  RUNNING: ['CREATED'],
  SUCCESSFUL: ['CREATED', 'RUNNING'],
  FAILED: ['CREATED', 'RUNNING'],
};

export interface Db {
  updateItem(input: UpdateItemCommandInput): Promise<unknown>;
}

export interface Deps {
  db: Db;
  tableName: string;
  /** A TaskUpdated counts only from these sources (the processors'); anyone else could finish any task. */
  processorSources?: string[];
  now?: () => number;
  log?: (entry: Record<string, unknown>) => void;
}

export interface TaskUpdate { taskId?: string; status?: string; result?: unknown; resultLocation?: unknown; error?: string }
type AnyEvent = EventBridgeEvent<string, Record<string, any>>;

/** The update carried by a TaskUpdated event or a Lambda failure-destination event. */
export function updateFromEvent(event: AnyEvent, processorSources: string[] = ['task-processor']): TaskUpdate {
  const detail = event.detail ?? {};
  if (event['detail-type'] === 'TaskUpdated') {
    if (!processorSources.includes(event.source)) return {}; // not from a processor: ignored
    // A big result is in S3: the record points at it (resultLocation) instead of holding it.
    if (detail.resultLocation !== undefined) return { taskId: detail.taskId, status: detail.status, resultLocation: detail.resultLocation, error: detail.error };
    return { taskId: detail.taskId, status: detail.status, result: detail.result, error: detail.error };
  }
  if (event['detail-type'] === 'Lambda Function Invocation Result - Failure' && event.source === 'lambda') {
    const reason = detail.responsePayload?.errorMessage ?? detail.requestContext?.condition;
    return { taskId: detail.requestPayload?.detail?.taskId, status: 'FAILED', error: `processor failed: ${reason}` };
  }
  return {};
}

export function makeHandler(deps: Deps) {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));

  /** Write a forward transition: true when written, false when the task was not in an allowed state. */
  async function apply(taskId: string, status: string, result?: unknown, error?: string, resultLocation?: unknown): Promise<boolean> {
    const allowed = ALLOWED_FROM[status];
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, AttributeValue> = { ':status': { S: status }, ':now': { S: new Date(now()).toISOString() } };
    allowed.forEach((s, i) => { values[`:from${i}`] = { S: s }; });
    let update = `SET #status = :status, updatedAt = :now, ${status === 'RUNNING' ? 'startedAt' : 'completedAt'} = :now`;
    if (resultLocation !== undefined) {
      update += ', resultLocation = :location';
      values[':location'] = { S: JSON.stringify(resultLocation) };
    } else if (result !== undefined) {
      update += ', #result = :result';
      names['#result'] = 'result';
      values[':result'] = { S: JSON.stringify(result) };
    }
    if (error !== undefined) {
      update += ', #error = :error';
      names['#error'] = 'error';
      values[':error'] = { S: String(error).slice(0, 1000) };
    }
    try {
      await deps.db.updateItem({
        TableName: deps.tableName,
        Key: { taskId: { S: taskId } },
        UpdateExpression: update,
        ConditionExpression: `#status IN (${allowed.map((_, i) => `:from${i}`).join(', ')})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      });
      return true;
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  return async function handler(event: AnyEvent): Promise<{ applied: boolean }> {
    const { taskId, status, result, error, resultLocation } = updateFromEvent(event, deps.processorSources);
    if (!taskId || !status || !ALLOWED_FROM[status]) {
      log({ level: 'WARN', message: 'ignored: not a task update', detailType: event['detail-type'], status });
      return { applied: false };
    }
    const applied = await apply(taskId, status, result, error, resultLocation);
    log({ level: applied ? 'INFO' : 'WARN', message: applied ? 'status updated' : 'stale or repeated update dropped', taskId, status });
    return { applied };
  };
}
