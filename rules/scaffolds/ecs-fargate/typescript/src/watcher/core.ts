// Task watcher: EventBridge sends "ECS Task State Change" events for the worker's tasks when they reach
// STOPPED. A task that stopped while its job is still PENDING or RUNNING never recorded a result (crash,
// out of memory, image pull error, StopTask): the job is marked FAILED with ECS's reason.
{{#if triggerEvent}}
// The EventBridge rule starts the tasks: the job is the JOB_ID of the task's environment override. A job the
// task never recorded (it stopped before its code ran) is recorded FAILED, and a second task for a redelivered
// event (which found the job taken and did nothing) leaves the job of the first task alone.
{{/if}}
{{#if triggerSchedule}}
// The schedule starts the tasks: each run's job is named after its task (run-<task id>). A job the task never
// recorded (it stopped before its code ran) is recorded FAILED, so a missed run shows up.
{{/if}}
import type { EventBridgeEvent } from 'aws-lambda';
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';

export interface TaskStateChange {
  lastStatus?: string;
  startedBy?: string;
  taskArn?: string;
  overrides?: { containerOverrides?: Array<{ name?: string; environment?: Array<{ name?: string; value?: string }> }> };
  stopCode?: string;
  stoppedReason?: string;
  containers?: Array<{ name?: string; exitCode?: number | null; reason?: string | null }>;
}

export interface Deps {
  db: { updateItem(input: UpdateItemCommandInput): Promise<unknown> };
  tableName: string;
  containerName: string;
  now?: () => number;
  log?: (entry: Record<string, unknown>) => void;
}

export function stopReason(detail: TaskStateChange, containerName: string): string {
  const container = detail.containers?.find((c) => c.name === containerName) ?? {};
  const parts = [detail.stoppedReason || detail.stopCode || 'task stopped'];
  if (container.reason) parts.push(container.reason);
  if (container.exitCode !== undefined && container.exitCode !== null) parts.push(`exit code ${container.exitCode}`);
  return parts.join('; ');
}

{{#if triggerEvent}}
/** The JOB_ID the rule gave the task (its container's environment override): the event's id. */
export function jobIdOf(detail: TaskStateChange, containerName: string): string | undefined {
  const override = detail.overrides?.containerOverrides?.find((c) => c.name === containerName);
  return override?.environment?.find((e) => e.name === 'JOB_ID')?.value;
}

{{/if}}
{{#if triggerSchedule}}
/** A scheduled run's job is named after its task (container/main.ts). */
export function jobIdOf(detail: TaskStateChange, _containerName: string): string | undefined {
  const taskId = (detail.taskArn ?? '').split('/').pop();
  return taskId ? `run-${taskId}` : undefined;
}

{{/if}}
export function makeHandler(deps: Deps) {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));

  return async function handler(event: EventBridgeEvent<'ECS Task State Change', TaskStateChange>): Promise<{ updated: boolean }> {
    const detail = event.detail ?? {};
{{#unless triggerRequest}}
{{#unless triggerWebhook}}
    const jobId = jobIdOf(detail, deps.containerName);
{{/unless}}
{{/unless}}
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
    const jobId = detail.startedBy;
{{/unless}}
{{/unless}}
    if (detail.lastStatus !== 'STOPPED' || !jobId) return { updated: false };
    const reason = stopReason(detail, deps.containerName);
    try {
      await deps.db.updateItem({
        TableName: deps.tableName,
        Key: { jobId: { S: jobId } },
        UpdateExpression: 'SET #status = :failed, #error = :error, completedAt = :now, updatedAt = :now',
{{#unless triggerRequest}}
{{#unless triggerWebhook}}
        // unrecorded, still pending, or running in this very task (not in the first task of a redelivery)
        ConditionExpression: 'attribute_not_exists(jobId) OR #status = :pending'
          + ' OR (#status = :running AND (attribute_not_exists(taskArn) OR taskArn = :task))',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: {
          ':failed': { S: 'FAILED' }, ':error': { S: `task stopped without a result: ${reason}` },
          ':pending': { S: 'PENDING' }, ':running': { S: 'RUNNING' }, ':task': { S: detail.taskArn ?? '' },
          ':now': { S: new Date(now()).toISOString() },
        },
{{/unless}}
{{/unless}}
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
        ConditionExpression: '#status IN (:pending, :running)',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: {
          ':failed': { S: 'FAILED' }, ':error': { S: `task stopped without a result: ${reason}` },
          ':pending': { S: 'PENDING' }, ':running': { S: 'RUNNING' }, ':now': { S: new Date(now()).toISOString() },
        },
{{/unless}}
{{/unless}}
      });
    } catch (err) {
      if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
      log({ level: 'INFO', message: 'job already finished (or unknown); nothing to do', jobId });
      return { updated: false };
    }
    log({ level: 'WARN', message: 'job marked FAILED: its task stopped without a result', jobId, reason });
    return { updated: true };
  };
}
