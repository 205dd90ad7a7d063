/**
 * Worker mechanics for {{patternName}}: partial batch responses and idempotent task claims.
 *
 * Lambda hands the worker up to 10 queue messages at a time. Every message id returned in
 * `batchItemFailures` becomes visible on the queue again after the visibility timeout and, after
 * maxReceiveCount receives, moves to the dead-letter queue; the rest of the batch is deleted. Throwing
 * from the handler would fail the whole batch, so each message is handled on its own.
 *
 * SQS delivers at least once, so a task is claimed in DynamoDB before it runs: a task already done is
 * skipped, a task another worker holds right now goes back to the queue for later.
 *
 * No AWS SDK import here: app.ts passes the clients in, tests pass fakes.
{{#if triggerEvent}}
 *
 * The messages are S3 event notifications of the uploads bucket: each ObjectCreated record is a task whose id is
 * bucket/key#sequencer (a redelivered event has the same); S3's s3:TestEvent, sent once when the notification is
 * set up, is acknowledged and starts nothing.
{{/if}}
 */
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
{{#if webhook}}
import { postLateAnswer, type PostJson } from './webhook-auth';
{{/if}}

export type Item = Record<string, unknown>;

export interface ConditionalWrite {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

/** The DynamoDB DocumentClient calls the worker makes, bound to the tasks table (see app.ts). */
export interface TaskTable {
  put(input: ConditionalWrite & { Item: Item }): Promise<void>;
  get(key: Item): Promise<Item | undefined>;
  update(input: ConditionalWrite & { Key: Item; UpdateExpression: string }): Promise<void>;
  delete(input: ConditionalWrite & { Key: Item }): Promise<void>;
}

/** Runs one task; throw to have the message retried (and dead-lettered after maxReceiveCount). */
export type ProcessTask = (taskId: string, payload: Item) => Promise<unknown>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

/** One JSON object per line, so CloudWatch Logs Insights can query every field. */
export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

export interface WorkerDeps {
  table: TaskTable;
  processTask: ProcessTask;
  /** A claim older than this is taken as abandoned by a crashed worker; keep it >= the function timeout. */
  leaseSeconds: number;
  /** How long a finished task's record (and so its duplicate protection) is kept. */
  keepDoneSeconds: number;
{{#if webhook}}
  /** POSTs a slash command's late answer to its response_url. */
  postJson: PostJson;
{{/if}}
  /** Epoch seconds. */
  now?: () => number;
  log?: Log;
}

export type Claim = 'claimed' | 'done' | 'busy';

export function isConditionalCheckFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'ConditionalCheckFailedException';
}

/** Reads a queue message: `{"taskId": ..., "payload": {...}}`; the message id stands in for a missing task id. */
export function parseMessage(record: SQSRecord): { taskId: string; payload: Item; responseUrl?: string } {
  const message: unknown = JSON.parse(record.body);
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw new Error('message body is not a JSON object');
  }
  const { taskId, payload, responseUrl } = message as { taskId?: unknown; payload?: unknown; responseUrl?: unknown };
  return {
    taskId: taskId === undefined || taskId === null || taskId === '' ? record.messageId : String(taskId),
    payload: typeof payload === 'object' && payload !== null ? (payload as Item) : {},
    ...(typeof responseUrl === 'string' && responseUrl ? { responseUrl } : {}),
  };
}

{{#if triggerEvent}}
/** An S3 event notification as it arrives in the message body. */
interface S3Notification {
  Event?: string;
  Records?: { eventSource?: string; eventName?: string; s3: { bucket: { name: string }; object: { key: string; size?: number; sequencer?: string } } }[];
}

/** The tasks a message names: one per object created; none for S3's s3:TestEvent or another event type. */
export function tasksOf(record: SQSRecord): { taskId: string; payload: Item }[] {
  const message = JSON.parse(record.body) as S3Notification;
  if (typeof message !== 'object' || message === null) throw new Error('message body is not a JSON object');
  if (message.Event === 's3:TestEvent') return [];
  if (!Array.isArray(message.Records)) throw new Error('message body is not an S3 event notification');
  return message.Records
    .filter((r) => r.eventSource === 'aws:s3' && (r.eventName ?? '').startsWith('ObjectCreated:'))
    .map((r) => {
      const bucket = r.s3.bucket.name;
      const key = decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')); // URL-encoded: a space arrives as "+"
      // The sequencer orders the events of one key: a redelivery has the same, a new upload a greater one.
      return { taskId: `${bucket}/${key}#${r.s3.object.sequencer ?? ''}`, payload: { bucket, key, size: r.s3.object.size ?? 0 } };
    });
}

{{/if}}
export function makeHandler(deps: WorkerDeps) {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const log = deps.log ?? jsonLog;
  const { table } = deps;

  async function claimTask(taskId: string, messageId: string): Promise<Claim> {
    const at = now();
    try {
      await table.put({
        Item: {
          taskId,
          status: 'IN_PROGRESS',
          messageId,
          leaseUntil: at + deps.leaseSeconds,
          expiresAt: at + deps.keepDoneSeconds,
        },
        // A new task, or a claim whose worker died (lease expired).
        ConditionExpression: 'attribute_not_exists(taskId) OR (#status = :in_progress AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':in_progress': 'IN_PROGRESS', ':now': at },
      });
      return 'claimed';
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
    }
    const existing = await table.get({ taskId });
    return existing?.status === 'DONE' ? 'done' : 'busy';
  }

  async function markDone(taskId: string, result: unknown): Promise<void> {
    await table.update({
      Key: { taskId },
      UpdateExpression: 'SET #status = :done, doneAt = :now, #result = :result REMOVE leaseUntil',
      ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
      ExpressionAttributeValues: { ':done': 'DONE', ':now': now(), ':result': JSON.stringify(result ?? null) },
    });
  }

  /** Drops our claim so the next delivery of the message can run the task again. */
  async function releaseTask(taskId: string, messageId: string): Promise<void> {
    try {
      await table.delete({
        Key: { taskId },
        ConditionExpression: 'messageId = :message_id AND #status = :in_progress',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':message_id': messageId, ':in_progress': 'IN_PROGRESS' },
      });
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
      log('warn', 'claim already gone', { taskId, messageId });
    }
  }

  /** True when the message may be deleted from the queue (done now, or done before). */
  async function handleRecord(record: SQSRecord): Promise<boolean> {
    const messageId = record.messageId;
{{#if triggerEvent}}
    let tasks: { taskId: string; payload: Item }[];
    try {
      tasks = tasksOf(record);
    } catch (err) {
      // A message that can never be read goes to the dead-letter queue after maxReceiveCount.
      log('error', 'unreadable message', { messageId, error: String(err) });
      return false;
    }
    if (tasks.length === 0) log('info', 'no object created in the message (s3:TestEvent?); nothing to run', { messageId });
    // Every task of the message runs; one that failed keeps the message for a retry, whose claims skip those done.
    let ok = true;
    for (const task of tasks) ok = (await runTask(task, messageId)) && ok;
    return ok;
  }

  /** Claims, runs and records one task; true when it is done (now or before). */
  async function runTask(task: { taskId: string; payload: Item }, messageId: string): Promise<boolean> {
{{else}}
    let task: { taskId: string; payload: Item; responseUrl?: string };
    try {
      task = parseMessage(record);
    } catch (err) {
      // A message that can never be read goes to the dead-letter queue after maxReceiveCount.
      log('error', 'unreadable message', { messageId, error: String(err) });
      return false;
    }
{{/if}}

    const claim = await claimTask(task.taskId, messageId);
    if (claim === 'done') {
      log('info', 'duplicate delivery skipped', { taskId: task.taskId, messageId });
      return true;
    }
    if (claim === 'busy') {
      log('warn', 'task held by another worker; retry later', { taskId: task.taskId, messageId });
      return false;
    }

    let result: unknown;
    try {
      result = await deps.processTask(task.taskId, task.payload);
    } catch (err) {
      log('error', 'task failed', { taskId: task.taskId, messageId, error: String(err) });
      await releaseTask(task.taskId, messageId);
      return false;
    }
    await markDone(task.taskId, result);
    log('info', 'task done', { taskId: task.taskId, messageId });
{{#if webhook}}
    if (task.responseUrl) {
      // A slash command's late answer (best effort: the task is done either way; a lost answer is logged).
      try {
        await postLateAnswer(deps.postJson, task.responseUrl, { response_type: 'in_channel', text: JSON.stringify(result ?? null) });
      } catch (err) {
        log('error', 'late answer not delivered', { taskId: task.taskId, error: String(err) });
      }
    }
{{/if}}
    return true;
  }

  return async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
    const batchItemFailures: SQSBatchItemFailure[] = [];
    for (const record of event.Records ?? []) {
      let ok = false;
      try {
        ok = await handleRecord(record);
      } catch (err) {
        log('error', 'message failed', { messageId: record.messageId, error: String(err) });
      }
      if (!ok) batchItemFailures.push({ itemIdentifier: record.messageId });
    }
    log('info', 'batch done', { received: event.Records?.length ?? 0, failed: batchItemFailures.length });
    return { batchItemFailures };
  };
}
