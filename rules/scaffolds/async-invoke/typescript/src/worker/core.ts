{{#if triggerEvent}}
/**
 * Worker mechanics for {{patternName}}: run one job per object created in the uploads bucket; S3 invokes the
 * function asynchronously (InvocationType "Event").
 *
 * Each S3 record (or, behind an EventBridge rule, each "Object Created" event) is a job: its id is the object's
 * bucket/key#sequencer, recorded QUEUED once (a conditional put), then claimed like any job. Lambda retries a
 * failed attempt (MaximumRetryAttempts in template.yaml; about 1 min, then 2 min later) and, when every attempt
 * has failed or the event is older than MaximumEventAgeInSeconds, sends the event with the error to the
 * on-failure destination (FailedJobsQueue). S3 and the async queue may deliver an event twice: a finished job,
 * or one another attempt is running right now, is skipped.
 */
{{else}}
/**
 * Worker mechanics for {{patternName}}: run one job, invoked asynchronously (InvocationType "Event").
 *
 * Lambda retries a failed attempt (MaximumRetryAttempts in template.yaml; about 1 min, then 2 min later)
 * and, when every attempt has failed or the event is older than MaximumEventAgeInSeconds, sends the event
 * with the error to the on-failure destination (FailedJobsQueue). The async queue may also deliver an
 * event twice, so the job is claimed by id with a conditional write first: a finished job, or one another
 * attempt is running right now, is skipped.
 */
{{/if}}
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
{{#if triggerEvent}}
  /** PutItem of a new job; throws ConditionalCheckFailedException when the ConditionExpression fails. */
  put(item: Item, conditionExpression: string): Promise<void>;
{{/if}}
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
{{#if triggerEvent}}
  /** How long a job record is kept (the table's TTL, expiresAt), in seconds. */
  keepJobSeconds?: number;
{{/if}}
  /** Epoch seconds. */
  now?: () => number;
  log?: Log;
}

{{#if triggerEvent}}
/** An S3 object as a notification record or an EventBridge "Object Created" event names it. */
export interface S3Object {
  key: string;
  size?: number;
  sequencer?: string;
}

/** What S3 sends (Records), or EventBridge for the bucket's "Object Created" events (source aws.s3). */
export interface WorkerEvent {
  Records?: { eventSource?: string; eventName?: string; s3: { bucket: { name: string }; object: S3Object } }[];
  source?: string;
  detail?: { bucket?: { name?: string }; object?: S3Object };
}

export type JobResult = { jobId: string; status: 'SUCCEEDED' } | { jobId: string; skipped: true };
export type WorkerResult = { jobs: JobResult[] };

/** The job input of one object. */
export interface ObjectInput extends Item {
  bucket: string;
  key: string;
  size: number;
}

/**
 * [job id, input] of each object the event names: S3 notification records, or an EventBridge "Object Created"
 * event (the bucket's EventBridge switch, README). Other events (S3's s3:TestEvent) name none.
 */
export function jobsOf(event: WorkerEvent): [string, ObjectInput][] {
  const objects: [string, S3Object, boolean][] = [];
  if (event.source === 'aws.s3') {
    objects.push([event.detail?.bucket?.name ?? '', event.detail?.object ?? { key: '' }, false]);
  } else {
    for (const record of event.Records ?? []) {
      if (record.eventSource === 'aws:s3' && (record.eventName ?? '').startsWith('ObjectCreated:')) {
        objects.push([record.s3.bucket.name, record.s3.object, true]);
      }
    }
  }
  return objects.map(([bucket, object, encoded]) => {
    // A notification's key is URL-encoded (a space arrives as "+"); EventBridge's is not.
    const key = encoded ? decodeURIComponent(object.key.replace(/\+/g, ' ')) : object.key;
    // The sequencer orders the events of one key: a redelivery has the same, a new upload a greater one.
    return [`${bucket}/${key}#${object.sequencer ?? ''}`, { bucket, key, size: object.size ?? 0 }];
  });
}
{{else}}
export interface WorkerEvent {
  jobId?: string;
}

export type WorkerResult = { jobId: string; status: 'SUCCEEDED' } | { jobId: string; skipped: true };
export type JobResult = WorkerResult;
{{/if}}

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

  async function runOnce(jobId: string): Promise<JobResult> {
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
  }

{{#if triggerEvent}}
  /** Writes the job QUEUED once; a redelivered event finds it there and goes on to the claim. */
  async function recordJob(jobId: string, input: Item): Promise<void> {
    const at = now();
    try {
      await jobs.put(
        { jobId, status: 'QUEUED', attempts: 0, input: JSON.stringify(input), createdAt: at, expiresAt: at + (deps.keepJobSeconds ?? 30 * 24 * 3600) },
        'attribute_not_exists(jobId)',
      );
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
    }
  }

  return async function handler(event: WorkerEvent): Promise<WorkerResult> {
    const results: JobResult[] = [];
    for (const [jobId, input] of jobsOf(event)) {
      await recordJob(jobId, input);
      results.push(await runOnce(jobId));
    }
    return { jobs: results };
  };
{{else}}
  return async function handler(event: WorkerEvent): Promise<WorkerResult> {
    return runOnce(String(event.jobId ?? ''));
  };
{{/if}}
}
