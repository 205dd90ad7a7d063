// Queue-chaining plumbing: claim, time budget, continuation, completion. No AWS SDK at run time: the
// clients come in through `Deps`, so the tests run offline with fakes.
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type {
  AttributeValue,
  DeleteItemCommandInput,
  GetItemCommandInput,
  UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { ChangeMessageVisibilityCommandInput, SendMessageCommandInput } from '@aws-sdk/client-sqs';

export type Cursor = unknown;
export interface StepResult { cursor: Cursor; done: boolean }
export type ProcessStep = (jobId: string, params: Record<string, unknown>, cursor: Cursor) => Promise<StepResult>;

/** The continuation carried by every message on the job queue. */
export interface Continuation {
  jobId: string;
  chunk: number;
  cursor: Cursor;
  params?: Record<string, unknown>;
}

type Item = Record<string, AttributeValue>;

export interface Db {
  getItem(input: GetItemCommandInput): Promise<{ Item?: Item }>;
  updateItem(input: UpdateItemCommandInput): Promise<unknown>;
  deleteItem(input: DeleteItemCommandInput): Promise<unknown>;
}

export interface Queue {
  sendMessage(input: SendMessageCommandInput): Promise<unknown>;
  changeMessageVisibility(input: ChangeMessageVisibilityCommandInput): Promise<unknown>;
}

export interface Deps {
  db: Db;
  queue: Queue;
  tableName: string;
  queueUrl: string;
  safetyMarginMs: number;
  retryDelaySeconds: number;
  processStep: ProcessStep;
  now?: () => number;
  log?: (entry: Record<string, unknown>) => void;
}

export type Outcome = 'processed' | 'forwarded' | 'duplicate' | 'busy';
type RemainingTime = Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>;

const IN_PROGRESS = 'IN_PROGRESS';
const DONE = 'DONE';
const NAMES = { '#status': 'status', '#owner': 'owner' };

export function isConditionalCheckFailed(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

export function makeWorker(deps: Deps) {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));
  const chunkKey = (jobId: string, chunk: number): Item => ({
    pk: { S: `JOB#${jobId}` },
    sk: { S: `CHUNK#${String(chunk).padStart(8, '0')}` },
  });
  const jobKey = (jobId: string): Item => ({ pk: { S: `JOB#${jobId}` }, sk: { S: 'JOB' } });

  /** Take (job, chunk): 'claimed', or the marker of a chunk that is not ours to run. */
  async function claim(jobId: string, chunk: number, owner: string, leaseUntil: number):
      Promise<{ state: 'claimed' | 'done' | 'busy'; marker?: Item }> {
    try {
      await deps.db.updateItem({
        TableName: deps.tableName,
        Key: chunkKey(jobId, chunk),
        UpdateExpression: 'SET #status = :in_progress, #owner = :owner, leaseUntil = :lease, startedAt = :now',
        ConditionExpression: 'attribute_not_exists(pk) OR (#status = :in_progress AND leaseUntil < :now)',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: {
          ':in_progress': { S: IN_PROGRESS }, ':owner': { S: owner },
          ':lease': { N: String(leaseUntil) }, ':now': { N: String(now()) },
        },
      });
      return { state: 'claimed' };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    const { Item: marker = {} } = await deps.db.getItem({
      TableName: deps.tableName, Key: chunkKey(jobId, chunk), ConsistentRead: true,
    });
    return { state: marker.status?.S === DONE ? 'done' : 'busy', marker };
  }

  /** Record where this chunk stopped. Only the owner of a live claim may commit. */
  async function commit(jobId: string, chunk: number, owner: string, cursor: Cursor, finished: boolean, steps: number) {
    await deps.db.updateItem({
      TableName: deps.tableName,
      Key: chunkKey(jobId, chunk),
      UpdateExpression: 'SET #status = :done, nextCursor = :cursor, finished = :finished, steps = :steps, '
        + 'doneAt = :now, continuationSent = :false',
      ConditionExpression: '#status = :in_progress AND #owner = :owner',
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: {
        ':done': { S: DONE }, ':in_progress': { S: IN_PROGRESS }, ':owner': { S: owner },
        ':cursor': { S: JSON.stringify(cursor ?? null) }, ':finished': { BOOL: finished },
        ':steps': { N: String(steps) }, ':now': { N: String(now()) }, ':false': { BOOL: false },
      },
    });
  }

  /** Give a failed claim back so the redelivered message can take it at once. */
  async function release(jobId: string, chunk: number, owner: string) {
    try {
      await deps.db.deleteItem({
        TableName: deps.tableName,
        Key: chunkKey(jobId, chunk),
        ConditionExpression: '#status = :in_progress AND #owner = :owner',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: { ':in_progress': { S: IN_PROGRESS }, ':owner': { S: owner } },
      });
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  /** Queue the next continuation, or record the job's completion; then mark the chunk as forwarded. */
  async function forward(msg: Continuation, nextCursorJson: string, finished: boolean) {
    const { jobId, chunk } = msg;
    const t = String(now());
    if (finished) {
      await deps.db.updateItem({
        TableName: deps.tableName,
        Key: jobKey(jobId),
        UpdateExpression: 'SET #status = :complete, completedAt = if_not_exists(completedAt, :now), '
          + 'chunks = :chunks, lastCursor = :cursor, updatedAt = :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':complete': { S: 'COMPLETE' }, ':now': { N: t }, ':chunks': { N: String(chunk + 1) },
          ':cursor': { S: nextCursorJson },
        },
      });
      log({ level: 'INFO', message: 'job complete', jobId, chunks: chunk + 1 });
    } else {
      const next: Continuation = { jobId, chunk: chunk + 1, cursor: JSON.parse(nextCursorJson), params: msg.params ?? {} };
      await deps.queue.sendMessage({ QueueUrl: deps.queueUrl, MessageBody: JSON.stringify(next) });
      try {
        await deps.db.updateItem({
          TableName: deps.tableName,
          Key: jobKey(jobId),
          UpdateExpression: 'SET #status = :running, lastChunk = :chunk, lastCursor = :cursor, '
            + 'startedAt = if_not_exists(startedAt, :now), updatedAt = :now',
          ConditionExpression: 'attribute_not_exists(#status) OR #status <> :complete',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':running': { S: 'RUNNING' }, ':complete': { S: 'COMPLETE' }, ':chunk': { N: String(chunk) },
            ':cursor': { S: nextCursorJson }, ':now': { N: t },
          },
        });
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
      }
      log({ level: 'INFO', message: 'continuation queued', jobId, nextChunk: chunk + 1 });
    }
    await deps.db.updateItem({
      TableName: deps.tableName,
      Key: chunkKey(jobId, chunk),
      UpdateExpression: 'SET continuationSent = :true',
      ExpressionAttributeValues: { ':true': { BOOL: true } },
    });
  }

  async function handleMessage(msg: Continuation, context: RemainingTime): Promise<Outcome> {
    const { jobId } = msg;
    const chunk = Number(msg.chunk);
    const owner = context.awsRequestId;
    const leaseUntil = now() + context.getRemainingTimeInMillis() + 5000;
    const { state, marker } = await claim(jobId, chunk, owner, leaseUntil);
    if (state === 'busy') {
      log({ level: 'INFO', message: 'chunk is being worked on by another invocation; dropping duplicate', jobId, chunk });
      return 'busy';
    }
    if (state === 'done' && marker) {
      if (marker.continuationSent?.BOOL) {
        log({ level: 'INFO', message: 'duplicate of a finished chunk; nothing to do', jobId, chunk });
        return 'duplicate';
      }
      log({ level: 'INFO', message: 'chunk was done but not forwarded; forwarding now', jobId, chunk });
      await forward({ ...msg, chunk }, marker.nextCursor?.S ?? 'null', marker.finished?.BOOL === true);
      return 'forwarded';
    }

    const params = msg.params ?? {};
    let cursor: Cursor = msg.cursor ?? null;
    let done = false;
    let steps = 0;
    while (!done) {
      ({ cursor, done } = await deps.processStep(jobId, params, cursor));
      steps += 1;
      if (context.getRemainingTimeInMillis() < deps.safetyMarginMs) break;
    }
    await commit(jobId, chunk, owner, cursor, done, steps);
    log({ level: 'INFO', message: 'chunk processed', jobId, chunk, steps, finished: done });
    await forward({ ...msg, chunk }, JSON.stringify(cursor ?? null), done);
    return 'processed';
  }

  async function handler(event: SQSEvent, context: RemainingTime): Promise<SQSBatchResponse> {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records ?? []) {
      let msg: Continuation | undefined;
      try {
        msg = JSON.parse(record.body) as Continuation;
        await handleMessage(msg, context);
      } catch (err) {
        // report this message only; the others in the batch are done
        log({ level: 'ERROR', message: 'chunk failed; it will be retried', messageId: record.messageId, error: String(err) });
        batchItemFailures.push({ itemIdentifier: record.messageId });
        if (msg && typeof msg === 'object' && msg.jobId !== undefined && msg.chunk !== undefined) {
          try {
            await release(msg.jobId, Number(msg.chunk), context.awsRequestId);
            // retry after retryDelaySeconds instead of the queue's long visibility timeout
            await deps.queue.changeMessageVisibility({
              QueueUrl: deps.queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: deps.retryDelaySeconds,
            });
          } catch (cleanupErr) {
            // best effort: the visibility timeout still retries it
            log({ level: 'WARN', message: 'could not release the chunk', error: String(cleanupErr) });
          }
        }
      }
    }
    return { batchItemFailures };
  }

  return { handler, handleMessage };
}

/** The Lambda handler for an SQS event source with ReportBatchItemFailures. */
export function makeHandler(deps: Deps) {
  return makeWorker(deps).handler;
}
