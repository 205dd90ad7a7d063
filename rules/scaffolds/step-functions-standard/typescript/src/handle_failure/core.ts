/**
 * The Catch target of {{patternName}}: record and report why an execution failed.
 *
 * Step Functions passes {"executionId": ..., "error": {"Error": ..., "Cause": ...}}. For a Lambda error the
 * Cause is itself JSON ({"errorMessage", "errorType", "trace"}); for States.Timeout and service errors it is
 * plain text. After this function the execution ends in the Fail state "Failed".
 */
export type Item = Record<string, unknown>;

export interface FailureEvent {
  executionId?: string;
  error?: { Error?: string; Cause?: string };
}

export interface Failure {
  executionId: string;
  error: string;
  errorType: string;
  errorMessage: string;
}

export type ReportFailure = (failure: Failure) => Promise<void>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

export function describe(executionId: string, error: { Error?: string; Cause?: string }): Failure {
  const cause = error.Cause ?? '';
  let detail: unknown;
  try {
    detail = JSON.parse(cause);
  } catch {
    detail = undefined;
  }
  if (typeof detail === 'object' && detail !== null && !Array.isArray(detail)) {
    const d = detail as { errorMessage?: unknown; errorType?: unknown };
    return { executionId, error: error.Error ?? 'Unknown', errorType: String(d.errorType ?? error.Error ?? ''), errorMessage: String(d.errorMessage ?? cause) };
  }
  return { executionId, error: error.Error ?? 'Unknown', errorType: error.Error ?? '', errorMessage: cause };
}

export function makeHandler(deps: { reportFailure: ReportFailure; log?: Log }) {
  const log = deps.log ?? jsonLog;
  return async function handler(event: FailureEvent): Promise<Failure> {
    const failure = describe(event.executionId ?? '', event.error ?? {});
    log('error', 'workflow failed', { ...failure });
    await deps.reportFailure(failure);
    return failure;
  };
}
