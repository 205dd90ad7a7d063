// Worker plumbing: claim, progress, outcome, interruption. No AWS SDK at run time: the DynamoDB client
// comes in through `Deps`, so the tests run offline with a fake.
import type { AttributeValue, {{#unless triggerRequest}}{{#unless triggerWebhook}}PutItemCommandInput, {{/unless}}{{/unless}}UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
{{#if senderSlackCommand}}
import { postLateAnswer, type PostJson } from './webhook-auth.js';
{{/if}}

/** The task was asked to stop (SIGTERM) before the work finished. */
export class Interrupted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Interrupted';
  }
}

export type ReportProgress = (percent: number) => Promise<void>;

export interface Deps {
  db: { updateItem(input: UpdateItemCommandInput): Promise<{ Attributes?: Record<string, AttributeValue> }> };
  tableName: string;
  jobId: string;
  taskArn?: string;
  doWork: (input: Record<string, unknown>, reportProgress: ReportProgress, shouldStop: () => boolean) => Promise<unknown>;
  shouldStop?: () => boolean;
{{#if senderSlackCommand}}
  /** Posts a slash command's late answer (fetch in main.ts, a fake in the tests). */
  post?: PostJson;
{{/if}}
  now?: () => number;
  log?: (entry: Record<string, unknown>) => void;
}

{{#if triggerEvent}}
/** The job the EventBridge rule started this task for: JOB_ID (the event's id), and the object as its input. */
export function jobFromEnvironment(env: Record<string, string | undefined>): { jobId: string; input: Record<string, unknown> } {
  const { JOB_ID: jobId, S3_BUCKET: bucket, S3_KEY: key } = env;
  if (!jobId || !bucket || !key) throw new Error('JOB_ID, S3_BUCKET and S3_KEY must be set (ObjectCreatedRule sets them)');
  return { jobId, input: { bucket, key } };
}

{{/if}}
{{#if triggerSchedule}}
/** The job of this scheduled run: named after the task (the watcher finds it by the task's ARN). */
export function jobFromEnvironment(_env: Record<string, string | undefined>, taskArn?: string): { jobId: string; input: Record<string, unknown> } {
  const taskId = (taskArn ?? '').split('/').pop();
  if (!taskId) throw new Error('no task ARN (ECS_CONTAINER_METADATA_URI_V4): a scheduled run is named after its task');
  return { jobId: `run-${taskId}`, input: {} };
}

{{/if}}
{{#unless triggerRequest}}
{{#unless triggerWebhook}}
/** Records a job PENDING unless it exists: a redelivered start finds it and changes nothing. */
export async function recordJob(
  db: { putItem(input: PutItemCommandInput): Promise<unknown> }, tableName: string, jobId: string,
  input: Record<string, unknown>, ttlDays = 30, now: () => number = () => Date.now(),
): Promise<boolean> {
  const t = new Date(now()).toISOString();
  try {
    await db.putItem({
      TableName: tableName,
      Item: {
        jobId: { S: jobId }, status: { S: 'PENDING' }, input: { S: JSON.stringify(input) }, createdAt: { S: t }, updatedAt: { S: t },
        expiresAt: { N: String(Math.floor(now() / 1000) + ttlDays * 86400) },
      },
      ConditionExpression: 'attribute_not_exists(jobId)',
    });
    return true;
  } catch (err) {
    if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
    console.log(JSON.stringify({ level: 'INFO', message: 'job already recorded (a redelivered start)', jobId }));
    return false;
  }
}

{{/unless}}
{{/unless}}
/** Run one job to completion; returns the process exit code (0 done or nothing to do, 1 failed). */
export async function runJob(deps: Deps): Promise<number> {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));
  const iso = () => new Date(now()).toISOString();
  const key = { jobId: { S: deps.jobId } };
  const { jobId } = deps;

  let job: Record<string, AttributeValue>;
  try {
    const res = await deps.db.updateItem({
      TableName: deps.tableName,
      Key: key,
      UpdateExpression: 'SET #status = :running, startedAt = :now, updatedAt = :now, taskArn = :arn',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':running': { S: 'RUNNING' }, ':pending': { S: 'PENDING' }, ':now': { S: iso() }, ':arn': { S: deps.taskArn ?? 'unknown' },
      },
      ReturnValues: 'ALL_NEW',
    });
    job = res.Attributes ?? {};
  } catch (err) {
    if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
    log({ level: 'INFO', message: 'job is not pending (already run, or unknown); nothing to do', jobId });
    return 0;
  }

  const reportProgress: ReportProgress = async (percent) => {
    await deps.db.updateItem({
      TableName: deps.tableName,
      Key: key,
      UpdateExpression: 'SET progress = :p, updatedAt = :now',
      ConditionExpression: '#status = :running',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':p': { N: String(Math.round(percent)) }, ':now': { S: iso() }, ':running': { S: 'RUNNING' } },
    });
  };

  const finish = async (status: 'SUCCEEDED' | 'FAILED', fields: Record<string, AttributeValue>) => {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, AttributeValue> = { ':status': { S: status }, ':now': { S: iso() }, ':running': { S: 'RUNNING' } };
    let update = 'SET #status = :status, completedAt = :now, updatedAt = :now';
    Object.entries(fields).forEach(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:f${i}`] = value;
      update += `, #f${i} = :f${i}`;
    });
    await deps.db.updateItem({
      TableName: deps.tableName, Key: key, UpdateExpression: update, ConditionExpression: '#status = :running',
      ExpressionAttributeNames: names, ExpressionAttributeValues: values,
    });
{{#if senderSlackCommand}}
    await postOutcome(status, fields.error?.S);
{{/if}}
  };
{{#if senderSlackCommand}}

  // A slash command's late answer: the outcome, posted to its response_url. A failed post (the URL expires
  // after 30 minutes) is logged; the outcome is recorded either way.
  const postOutcome = async (status: string, error?: string) => {
    const url = job.responseUrl?.S;
    if (!url || !deps.post) return;
    const text = `Job ${jobId} ${status.toLowerCase()}${error ? `: ${error}` : '.'}`;
    try {
      await postLateAnswer(deps.post, url, { response_type: 'ephemeral', text });
    } catch (err) {
      log({ level: 'WARN', message: 'late answer not posted', jobId, error: String(err) });
    }
  };
{{/if}}

  log({ level: 'INFO', message: 'job started', jobId, taskArn: deps.taskArn });
  let result: unknown;
  try {
    const input = JSON.parse(job.input?.S ?? '{}') as Record<string, unknown>;
    result = await deps.doWork(input, reportProgress, deps.shouldStop ?? (() => false));
  } catch (err) {
    const interrupted = err instanceof Interrupted;
    const message = interrupted ? `interrupted: ${(err as Error).message}` : String(err).slice(0, 1000);
    await finish('FAILED', { error: { S: message } });
    log({ level: interrupted ? 'WARN' : 'ERROR', message: interrupted ? 'job interrupted' : 'job failed', jobId, error: message });
    return 1;
  }
  await finish('SUCCEEDED', { result: { S: JSON.stringify(result ?? null) }, progress: { N: '100' } });
  log({ level: 'INFO', message: 'job succeeded', jobId });
  return 0;
}
