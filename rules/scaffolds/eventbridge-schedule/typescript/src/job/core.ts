// Scheduled-job plumbing: scheduled time, run claim, outcome. No AWS SDK at run time: the DynamoDB client
// comes in through `Deps`, so the tests run offline with a fake.
import type { Context } from 'aws-lambda';
import type { AttributeValue, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';

/** What the schedule sends (Input with Scheduler's context attributes), or an EventBridge rule's event. */
export interface ScheduledInput {
  jobName?: string;
  scheduledTime?: string;
  executionId?: string;
  attempt?: string;
  scheduleArn?: string;
  time?: string;
}

export interface Deps {
  db: { updateItem(input: UpdateItemCommandInput): Promise<unknown> };
  tableName: string;
  jobName: string;
  runTtlDays: number;
  runJob: (scheduledTime: string, timeLeftMs: () => number) => Promise<Record<string, unknown>>;
  now?: () => number;
  log?: (entry: Record<string, unknown>) => void;
}

type Invocation = Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>;

/** The run's nominal time: Scheduler's <aws.scheduler.scheduled-time>, or an EventBridge rule's "time". */
export function scheduledTimeOf(event: ScheduledInput): string {
  const value = event.scheduledTime || event.time;
  if (!value || value.startsWith('<aws.')) {
    throw new Error('event has no scheduledTime (set Input with <aws.scheduler.scheduled-time>)');
  }
  return value;
}

export function makeHandler(deps: Deps) {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));
  const key = (runId: string) => ({ runId: { S: runId } });

  /** Take the run: true, or false when it is done or running elsewhere. */
  async function claim(runId: string, owner: string, leaseUntil: number, scheduledTime: string): Promise<boolean> {
    try {
      await deps.db.updateItem({
        TableName: deps.tableName,
        Key: key(runId),
        UpdateExpression: 'SET #status = :running, #owner = :owner, leaseUntil = :lease, scheduledTime = :t, '
          + 'startedAt = :now, attempts = if_not_exists(attempts, :zero) + :one, expiresAt = :exp',
        ConditionExpression: 'attribute_not_exists(runId) OR #status = :failed OR (#status = :running AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
        ExpressionAttributeValues: {
          ':running': { S: 'RUNNING' }, ':failed': { S: 'FAILED' }, ':owner': { S: owner },
          ':lease': { N: String(leaseUntil) }, ':t': { S: scheduledTime }, ':now': { N: String(now()) },
          ':zero': { N: '0' }, ':one': { N: '1' },
          ':exp': { N: String(Math.floor(now() / 1000) + deps.runTtlDays * 86400) },
        },
      });
      return true;
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async function settle(runId: string, owner: string, status: 'DONE' | 'FAILED', fields: Record<string, string>) {
    const names: Record<string, string> = { '#status': 'status', '#owner': 'owner' };
    const values: Record<string, AttributeValue> = { ':status': { S: status }, ':owner': { S: owner }, ':now': { N: String(now()) } };
    let update = 'SET #status = :status, finishedAt = :now';
    Object.entries(fields).forEach(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:f${i}`] = { S: value };
      update += `, #f${i} = :f${i}`;
    });
    await deps.db.updateItem({
      TableName: deps.tableName,
      Key: key(runId),
      UpdateExpression: `${update} REMOVE leaseUntil`,
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  return async function handler(event: ScheduledInput, context: Invocation) {
    const scheduledTime = scheduledTimeOf(event);
    const runId = `${deps.jobName}#${scheduledTime}`;
    const owner = context.awsRequestId;
    if (!(await claim(runId, owner, now() + context.getRemainingTimeInMillis() + 5000, scheduledTime))) {
      log({ level: 'INFO', message: 'run already done or in progress; nothing to do', runId });
      return { runId, status: 'SKIPPED' };
    }
    log({ level: 'INFO', message: 'run started', runId, attempt: event.attempt });
    let summary: Record<string, unknown>;
    try {
      summary = await deps.runJob(scheduledTime, () => context.getRemainingTimeInMillis());
    } catch (err) {
      await settle(runId, owner, 'FAILED', { error: String(err).slice(0, 1000) });
      log({ level: 'ERROR', message: 'run failed; it will be retried', runId, error: String(err) });
      throw err; // Lambda retries the async invocation, then sends it to the on-failure destination
    }
    await settle(runId, owner, 'DONE', { summary: JSON.stringify(summary) });
    log({ level: 'INFO', message: 'run done', runId, ...summary });
    return { runId, status: 'DONE', summary };
  };
}
