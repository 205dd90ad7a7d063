// Kinesis consumer plumbing: decoding, idempotency, partial batch failures, parking. No AWS SDK at run
// time: the clients come in through `Deps`, so the tests run offline with fakes.
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { DeleteItemCommandInput, PutItemCommandInput, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { SendMessageCommandInput } from '@aws-sdk/client-sqs';

/** Throw for a record that can never be processed: it is parked in the failure queue, not retried. */
export class PoisonRecord extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonRecord';
  }
}

export interface Db {
  putItem(input: PutItemCommandInput): Promise<unknown>;
  updateItem(input: UpdateItemCommandInput): Promise<unknown>;
  deleteItem(input: DeleteItemCommandInput): Promise<unknown>;
}

export interface Deps {
  db: Db;
  queue: { sendMessage(input: SendMessageCommandInput): Promise<unknown> };
  tableName: string;
  failedQueueUrl: string;
  dedupTtlHours: number;
  processEvent: (eventId: string, event: Record<string, unknown>) => Promise<void>;
  now?: () => number;
  log?: (entry: Record<string, unknown>) => void;
}

export type Outcome = 'processed' | 'duplicate' | 'parked';
type Invocation = Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>;

function isConditionalCheckFailed(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

export function decode(record: KinesisStreamRecord): Record<string, unknown> {
  let event: unknown;
  try {
    event = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
  } catch (err) {
    throw new PoisonRecord(`data is not base64 JSON: ${String(err)}`);
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new PoisonRecord('data is not a JSON object');
  return event as Record<string, unknown>;
}

export function makeConsumer(deps: Deps) {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));
  const key = (eventId: string) => ({ eventId: { S: eventId } });

  /** Take an event id: true, or false when it was processed (or is being processed) already. */
  async function claim(eventId: string, owner: string, leaseUntil: number): Promise<boolean> {
    try {
      await deps.db.putItem({
        TableName: deps.tableName,
        Item: {
          eventId: { S: eventId }, status: { S: 'IN_PROGRESS' }, owner: { S: owner },
          leaseUntil: { N: String(leaseUntil) }, expiresAt: { N: String(Math.floor(now() / 1000) + deps.dedupTtlHours * 3600) },
        },
        ConditionExpression: 'attribute_not_exists(eventId) OR (#status = :in_progress AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':in_progress': { S: 'IN_PROGRESS' }, ':now': { N: String(now()) } },
      });
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  async function settle(eventId: string, owner: string, status: 'DONE' | 'PARKED') {
    await deps.db.updateItem({
      TableName: deps.tableName,
      Key: key(eventId),
      UpdateExpression: 'SET #status = :status REMOVE leaseUntil',
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
      ExpressionAttributeValues: { ':status': { S: status }, ':owner': { S: owner } },
    });
  }

  async function release(eventId: string, owner: string) {
    try {
      await deps.db.deleteItem({
        TableName: deps.tableName,
        Key: key(eventId),
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': { S: owner } },
      });
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  /** Send a poison record, with its data, to the failure queue (Lambda's own on-failure records carry no data). */
  async function park(record: KinesisStreamRecord, reason: unknown) {
    const k = record.kinesis;
    await deps.queue.sendMessage({
      QueueUrl: deps.failedQueueUrl,
      MessageBody: JSON.stringify({
        reason: reason instanceof Error ? reason.message : String(reason), eventSourceARN: record.eventSourceARN,
        eventID: record.eventID, partitionKey: k.partitionKey, sequenceNumber: k.sequenceNumber, data: k.data,
      }),
    });
    log({ level: 'WARN', message: 'poison record parked', sequenceNumber: k.sequenceNumber, reason: String(reason) });
  }

  async function processRecord(record: KinesisStreamRecord, owner: string, leaseUntil: number): Promise<Outcome> {
    let event: Record<string, unknown>;
    try {
      event = decode(record);
    } catch (err) {
      await park(record, err);
      return 'parked';
    }
    const eventId = String(event.eventId || record.eventID);
    if (!(await claim(eventId, owner, leaseUntil))) {
      log({ level: 'INFO', message: 'duplicate event skipped', eventId });
      return 'duplicate';
    }
    try {
      await deps.processEvent(eventId, event);
    } catch (err) {
      if (!(err instanceof PoisonRecord)) {
        await release(eventId, owner);
        throw err;
      }
      try {
        await park(record, err);
      } catch (parkErr) {
        await release(eventId, owner); // not parked: let the retry try again
        throw parkErr;
      }
      await settle(eventId, owner, 'PARKED');
      return 'parked';
    }
    await settle(eventId, owner, 'DONE');
    return 'processed';
  }

  async function handler(event: KinesisStreamEvent, context: Invocation): Promise<KinesisStreamBatchResponse> {
    const owner = context.awsRequestId;
    const leaseUntil = now() + context.getRemainingTimeInMillis() + 5000;
    const counts: Record<Outcome, number> = { processed: 0, duplicate: 0, parked: 0 };
    for (const record of event.Records ?? []) {
      const seq = record.kinesis.sequenceNumber;
      try {
        counts[await processRecord(record, owner, leaseUntil)] += 1;
      } catch (err) {
        // Lambda checkpoints everything before this record and retries from it (in order)
        log({ level: 'ERROR', message: 'record failed; the batch is retried from it', sequenceNumber: seq, error: String(err), ...counts });
        return { batchItemFailures: [{ itemIdentifier: seq }] };
      }
    }
    log({ level: 'INFO', message: 'batch done', records: event.Records?.length ?? 0, ...counts });
    return { batchItemFailures: [] };
  }

  return { handler, processRecord };
}

/** The Lambda handler for a Kinesis event source with ReportBatchItemFailures. */
export function makeHandler(deps: Deps) {
  return makeConsumer(deps).handler;
}
