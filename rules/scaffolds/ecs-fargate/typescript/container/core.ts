// Worker plumbing: claim, progress, outcome, interruption. No AWS SDK at run time: the DynamoDB client
// comes in through `Deps`, so the tests run offline with a fake.
import type { AttributeValue, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';

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
  now?: () => number;
  log?: (entry: Record<string, unknown>) => void;
}

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
  };

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
