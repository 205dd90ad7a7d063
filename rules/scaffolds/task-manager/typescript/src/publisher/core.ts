// Task status publisher: one bus event per status change on the TaskStatus stream.
// INSERT -> TaskCreated; MODIFY to RUNNING / SUCCESSFUL / FAILED -> TaskRunning / TaskSuccessful / TaskFailed.
// The detail carries taskId, taskType (processors' rules match on it), status and the stream eventId
// (consumers deduplicate on it: the stream is read at least once).
import type { AttributeValue as StreamValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { PutEventsCommandInput, PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';

export const DETAIL_TYPES: Record<string, string> = {
  CREATED: 'TaskCreated',
  RUNNING: 'TaskRunning',
  SUCCESSFUL: 'TaskSuccessful',
  FAILED: 'TaskFailed',
};

export interface Events {
  putEvents(input: PutEventsCommandInput): Promise<{ FailedEntryCount?: number; Entries?: PutEventsResultEntry[] }>;
}

export interface Deps {
  events: Events;
  eventBusName: string;
  source: string;
  log?: (entry: Record<string, unknown>) => void;
}

type Image = Record<string, StreamValue> | undefined;
const str = (image: Image, name: string): string | undefined => image?.[name]?.S;

/** The bus entry for one stream record, or undefined when the record is not a status change. */
export function eventFor(record: DynamoDBRecord, eventBusName: string, source: string): PutEventsRequestEntry | undefined {
  const next = record.dynamodb?.NewImage;
  const prev = record.dynamodb?.OldImage;
  const status = str(next, 'status');
  const taskId = str(next, 'taskId');
  if (!status || !taskId || !DETAIL_TYPES[status]) return undefined;
  if (record.eventName === 'INSERT') {
    if (status !== 'CREATED') return undefined;
  } else if (record.eventName === 'MODIFY') {
    if (status === str(prev, 'status') || status === 'CREATED') return undefined;
  } else {
    return undefined; // REMOVE (TTL expiry) is not a task event
  }
  const detail: Record<string, unknown> = {
    eventId: record.eventID, taskId, taskType: str(next, 'taskType'), status, updatedAt: str(next, 'updatedAt'),
  };
  if (status === 'CREATED') detail.payload = JSON.parse(str(next, 'payload') ?? '{}');
  if (status === 'SUCCESSFUL' && str(next, 'result')) detail.result = JSON.parse(str(next, 'result') ?? 'null');
  if (status === 'FAILED') detail.error = str(next, 'error');
  return { EventBusName: eventBusName, Source: source, DetailType: DETAIL_TYPES[status], Detail: JSON.stringify(detail) };
}

export function makeHandler(deps: Deps) {
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));

  return async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    const pending: Array<{ record: DynamoDBRecord; entry: PutEventsRequestEntry }> = [];
    for (const record of event.Records ?? []) {
      const entry = eventFor(record, deps.eventBusName, deps.source);
      if (entry) pending.push({ record, entry });
    }
    for (let start = 0; start < pending.length; start += 10) { // PutEvents takes at most 10 entries
      const chunk = pending.slice(start, start + 10);
      let results: PutEventsResultEntry[];
      try {
        results = (await deps.events.putEvents({ Entries: chunk.map((c) => c.entry) })).Entries ?? [];
      } catch (err) {
        log({ level: 'ERROR', message: 'PutEvents failed', error: String(err) });
        results = chunk.map(() => ({ ErrorCode: 'Exception' }));
      }
      for (let i = 0; i < chunk.length; i += 1) {
        const outcome = results[i] ?? { ErrorCode: 'Missing' };
        if (outcome.ErrorCode) {
          // stream order: retry from this record on (events after it may be published again;
          // consumers deduplicate on detail.eventId)
          const seq = chunk[i].record.dynamodb?.SequenceNumber ?? '';
          log({ level: 'ERROR', message: 'event not published; the record will be retried', sequenceNumber: seq,
            detailType: chunk[i].entry.DetailType, error: outcome.ErrorMessage });
          return { batchItemFailures: [{ itemIdentifier: seq }] };
        }
        log({ level: 'INFO', message: 'published', detailType: chunk[i].entry.DetailType, eventId: outcome.EventId });
      }
    }
    return { batchItemFailures: [] };
  };
}
