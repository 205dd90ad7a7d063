/**
 * Worker mechanics for {{patternName}}: run one job, invoked asynchronously (InvocationType "Event").
 *
 * Lambda retries a failed attempt (MaximumRetryAttempts in template.yaml; about 1 min, then 2 min later)
 * and, when every attempt has failed or the event is older than MaximumEventAgeInSeconds, sends the event
 * with the error to the on-failure destination (FailedJobsQueue). The async queue may also deliver an
 * event twice, so the job is claimed by id with a conditional write first: a finished job, or one another
 * attempt is running right now, is skipped.
 */
export type Item = Record<string, unknown>;

export interface Update {
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

/** DynamoDB DocumentClient calls on the jobs table (see app.ts). */
export interface JobTable {
  /** UpdateItem on the job; returns the item as it is after the update (ReturnValues ALL_NEW). */
  update(jobId: string, update: Update): Promise<Item>;
  get(jobId: string): Promise<Item | undefined>;
}

/** The work; throw to fail this attempt. */
export type RunJob = (jobId: string, input: Item) => Promise<unknown>;
export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

export interface WorkerDeps {
  jobs: JobTable;
  runJob: RunJob;
  /** Attempts Lambda makes: 1 + MaximumRetryAttempts. The last failure marks the job FAILED. */
  maxAttempts: number;
  /** A RUNNING claim older than this belongs to an attempt that died; keep it >= the function timeout. */
  leaseSeconds: number;
  /** Epoch seconds. */
  now?: () => number;
  log?: Log;
}

export interface WorkerEvent {
  jobId?: string;
}

export type WorkerResult = { jobId: string; status: 'SUCCEEDED' } | { jobId: string; skipped: true };

export function isConditionalCheckFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'ConditionalCheckFailedException';
}

export function makeHandler(deps: WorkerDeps) {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const log = deps.log ?? jsonLog;
  const { jobs } = deps;

  /** Marks the job RUNNING if it is QUEUED (or RUNNING under a dead attempt's lease); undefined means skip. */
  async function claimJob(jobId: string): Promise<Item | undefined> {
    const at = now();
    try {
      return await jobs.update(jobId, {
        UpdateExpression: 'SET #status = :running, leaseUntil = :lease, startedAt = :now ADD attempts :one',
        ConditionExpression: '#status = :queued OR (#status = :running AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':running': 'RUNNING', ':queued': 'QUEUED', ':lease': at + deps.leaseSeconds, ':now': at, ':one': 1 },
      });
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
    }
    const existing = await jobs.get(jobId);
    if (existing === undefined) log('error', 'unknown job; nothing to run', { jobId });
    else log('info', 'duplicate delivery skipped', { jobId, status: existing.status });
    return undefined;
  }

  async function recordSuccess(jobId: string, result: unknown): Promise<void> {
    await jobs.update(jobId, {
      UpdateExpression: 'SET #status = :succeeded, #result = :result, finishedAt = :now REMOVE leaseUntil, #error',
      ExpressionAttributeNames: { '#status': 'status', '#result': 'result', '#error': 'error' },
      ExpressionAttributeValues: { ':succeeded': 'SUCCEEDED', ':result': JSON.stringify(result ?? null), ':now': now() },
    });
  }

  /** Back to QUEUED so Lambda's retry can claim it, or FAILED after the last attempt. */
  async function recordFailure(jobId: string, attempts: number, error: unknown): Promise<void> {
    const final = attempts >= deps.maxAttempts;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log('error', 'job attempt failed', { jobId, attempt: attempts, final, error: message });
    await jobs.update(jobId, {
      UpdateExpression: 'SET #status = :status, #error = :error, finishedAt = :now REMOVE leaseUntil',
      ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
      ExpressionAttributeValues: { ':status': final ? 'FAILED' : 'QUEUED', ':error': message.slice(0, 1000), ':now': now() },
    });
  }

  return async function handler(event: WorkerEvent): Promise<WorkerResult> {
    const jobId = String(event.jobId ?? '');
    const job = await claimJob(jobId);
    if (job === undefined) return { jobId, skipped: true };

    const attempts = Number(job.attempts ?? 1);
    log('info', 'job started', { jobId, attempt: attempts });
    let result: unknown;
    try {
      result = await deps.runJob(jobId, JSON.parse(String(job.input ?? '{}')) as Item);
    } catch (err) {
      await recordFailure(jobId, attempts, err);
      throw err; // Lambda retries, then sends the event to the on-failure destination
    }
    await recordSuccess(jobId, result);
    log('info', 'job succeeded', { jobId });
    return { jobId, status: 'SUCCEEDED' };
  };
}
