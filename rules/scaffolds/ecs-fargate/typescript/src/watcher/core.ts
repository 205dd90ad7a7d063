// Task watcher: EventBridge sends "ECS Task State Change" events for the worker's tasks when they reach
// STOPPED. A task that stopped while its job is still PENDING or RUNNING never recorded a result (crash,
// out of memory, image pull error, StopTask): the job is marked FAILED with ECS's reason.
import type { EventBridgeEvent } from 'aws-lambda';
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';

export interface TaskStateChange {
  lastStatus?: string;
  startedBy?: string;
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

export function makeHandler(deps: Deps) {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));

  return async function handler(event: EventBridgeEvent<'ECS Task State Change', TaskStateChange>): Promise<{ updated: boolean }> {
    const detail = event.detail ?? {};
    const jobId = detail.startedBy;
    if (detail.lastStatus !== 'STOPPED' || !jobId) return { updated: false };
    const reason = stopReason(detail, deps.containerName);
    try {
      await deps.db.updateItem({
        TableName: deps.tableName,
        Key: { jobId: { S: jobId } },
        UpdateExpression: 'SET #status = :failed, #error = :error, completedAt = :now, updatedAt = :now',
        ConditionExpression: '#status IN (:pending, :running)',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: {
          ':failed': { S: 'FAILED' }, ':error': { S: `task stopped without a result: ${reason}` },
          ':pending': { S: 'PENDING' }, ':running': { S: 'RUNNING' }, ':now': { S: new Date(now()).toISOString() },
        },
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
