// Stream-processor plumbing: filter, claim, result, retries. No AWS SDK at run time: the DynamoDB client
// comes in through `Deps`, so the tests run offline with a fake.
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeValue, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';

/** Throw from runJob() for a failure that retrying cannot fix: the job is marked "error". */
export class JobFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobFailed';
  }
}

export interface Job {
  jobId: string;
  input: Record<string, unknown>;
  createdAt?: string;
}

export type RunJob = (job: Job) => Promise<unknown>;

export interface Db {
  updateItem(input: UpdateItemCommandInput): Promise<{ Attributes?: Record<string, AttributeValue> }>;
}

export interface Deps {
  db: Db;
  tableName: string;
  maxAttempts: number;
  runJob: RunJob;
  now?: () => number;
  log?: (entry: Record<string, unknown>) => void;
}

export type Outcome = 'skipped' | 'duplicate' | 'complete' | 'error';
type Invocation = Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>;

const PENDING = 'pending';
const PROCESSING = 'processing';

export function isConditionalCheckFailed(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

/** The job of an INSERT record with status pending, or undefined for every other record. */
export function newPendingJob(record: DynamoDBRecord): Job | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  const image = record.dynamodb?.NewImage;
  if (!image || image.status?.S !== PENDING || !image.jobId?.S) return undefined;
  return {
    jobId: image.jobId.S,
    input: JSON.parse(image.input?.S ?? '{}') as Record<string, unknown>,
    createdAt: image.createdAt?.S,
  };
}

export function makeProcessor(deps: Deps) {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));
  const iso = () => new Date(now()).toISOString();
  const key = (jobId: string) => ({ jobId: { S: jobId } });

  /** pending -> processing (or take over a claim whose lease ran out). Returns the attempt number or undefined. */
  async function claim(jobId: string, attemptId: string, leaseUntil: number): Promise<number | undefined> {
    try {
      const res = await deps.db.updateItem({
        TableName: deps.tableName,
        Key: key(jobId),
        UpdateExpression: 'SET #status = :processing, attemptId = :attempt, leaseUntil = :lease, '
          + 'startedAt = :now, updatedAt = :now, attempts = if_not_exists(attempts, :zero) + :one',
        ConditionExpression: '#status = :pending OR (#status = :processing AND leaseUntil < :now_ms)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':processing': { S: PROCESSING }, ':pending': { S: PENDING }, ':attempt': { S: attemptId },
          ':lease': { N: String(leaseUntil) }, ':now': { S: iso() }, ':now_ms': { N: String(now()) },
          ':zero': { N: '0' }, ':one': { N: '1' },
        },
        ReturnValues: 'ALL_NEW',
      });
      return Number(res.Attributes?.attempts?.N ?? '1');
    } catch (err) {
      if (isConditionalCheckFailed(err)) return undefined;
      throw err;
    }
  }

  /** processing -> complete | error, only by the attempt that holds the claim. */
  async function finish(jobId: string, attemptId: string, status: 'complete' | 'error', result?: unknown, error?: string) {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, AttributeValue> = {
      ':status': { S: status }, ':processing': { S: PROCESSING }, ':attempt': { S: attemptId }, ':now': { S: iso() },
    };
    let update = 'SET #status = :status, completedAt = :now, updatedAt = :now';
    if (result !== undefined) {
      update += ', #result = :result';
      names['#result'] = 'result';
      values[':result'] = { S: JSON.stringify(result) };
    }
    if (error !== undefined) {
      update += ', #error = :error';
      names['#error'] = 'error';
      values[':error'] = { S: error.slice(0, 1000) };
    }
    await deps.db.updateItem({
      TableName: deps.tableName,
      Key: key(jobId),
      UpdateExpression: `${update} REMOVE leaseUntil`,
      ConditionExpression: '#status = :processing AND attemptId = :attempt',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  /** processing -> pending after a transient failure, so the stream's retry can claim the job again. */
  async function release(jobId: string, attemptId: string) {
    try {
      await deps.db.updateItem({
        TableName: deps.tableName,
        Key: key(jobId),
        UpdateExpression: 'SET #status = :pending, updatedAt = :now REMOVE leaseUntil, attemptId',
        ConditionExpression: '#status = :processing AND attemptId = :attempt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pending': { S: PENDING }, ':processing': { S: PROCESSING }, ':attempt': { S: attemptId }, ':now': { S: iso() },
        },
      });
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  async function processRecord(record: DynamoDBRecord, context: Invocation): Promise<Outcome> {
    const job = newPendingJob(record);
    if (!job) return 'skipped';
    const { jobId } = job;
    const attemptId = `${context.awsRequestId}:${record.eventID ?? ''}`;
    const attempt = await claim(jobId, attemptId, now() + context.getRemainingTimeInMillis() + 5000);
    if (attempt === undefined) {
      log({ level: 'INFO', message: 'job already claimed or finished; skipping duplicate delivery', jobId });
      return 'duplicate';
    }
    log({ level: 'INFO', message: 'job started', jobId, attempt });
    let result: unknown;
    try {
      result = await deps.runJob(job);
    } catch (err) {
      if (err instanceof JobFailed) {
        await finish(jobId, attemptId, 'error', undefined, err.message);
        log({ level: 'WARN', message: 'job failed', jobId, error: err.message });
        return 'error';
      }
      if (attempt >= deps.maxAttempts) {
        await finish(jobId, attemptId, 'error', undefined, `gave up after ${attempt} attempts: ${String(err)}`);
        log({ level: 'ERROR', message: 'job failed on its last attempt', jobId, error: String(err) });
        return 'error';
      }
      await release(jobId, attemptId);
      throw err;
    }
    await finish(jobId, attemptId, 'complete', result ?? null);
    log({ level: 'INFO', message: 'job complete', jobId });
    return 'complete';
  }

  async function handler(event: DynamoDBStreamEvent, context: Invocation): Promise<DynamoDBBatchResponse> {
    for (const record of event.Records ?? []) {
      try {
        await processRecord(record, context);
      } catch (err) {
        // Stream order: Lambda retries from this record on, so report it and leave the rest for the retry.
        const seq = record.dynamodb?.SequenceNumber ?? '';
        log({ level: 'ERROR', message: 'record failed; it will be retried', sequenceNumber: seq, error: String(err) });
        return { batchItemFailures: [{ itemIdentifier: seq }] };
      }
    }
    return { batchItemFailures: [] };
  }

  return { handler, processRecord };
}

/** The Lambda handler for a DynamoDB stream event source with ReportBatchItemFailures. */
export function makeHandler(deps: Deps) {
  return makeProcessor(deps).handler;
}
