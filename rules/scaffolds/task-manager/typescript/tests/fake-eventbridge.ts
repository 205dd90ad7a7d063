// In-memory stand-in for EventBridge PutEvents (tests only): records every accepted entry, and can reject
// chosen entries (by index within a call) the way PutEvents reports partial failures.
import type { PutEventsCommandInput, PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';

export class FakeEventBridge {
  readonly published: PutEventsRequestEntry[] = [];
  readonly calls: number[] = [];
  rejectInNextCall: number[] = [];

  async putEvents(input: PutEventsCommandInput): Promise<{ FailedEntryCount: number; Entries: PutEventsResultEntry[] }> {
    const entries = input.Entries ?? [];
    if (entries.length > 10) throw new Error('ValidationException: at most 10 entries per PutEvents');
    this.calls.push(entries.length);
    const reject = this.rejectInNextCall;
    this.rejectInNextCall = [];
    const results = entries.map((entry, i) => {
      if (reject.includes(i)) return { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' };
      this.published.push(entry);
      return { EventId: `e-${this.published.length}` };
    });
    return { FailedEntryCount: reject.length, Entries: results };
  }

  /** The published events as {detailType, source, detail}. */
  events(): Array<{ detailType?: string; source?: string; detail: Record<string, any> }> {
    return this.published.map((e) => ({ detailType: e.DetailType, source: e.Source, detail: JSON.parse(e.Detail ?? '{}') }));
  }
}
