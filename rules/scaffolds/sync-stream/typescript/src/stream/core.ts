/**
 * The streaming mechanics of {{patternName}}, free of the Lambda runtime so tests can drive them.
 *
 * Once the first byte is sent the HTTP status (200) is fixed, so the stream itself says how it went: one
 * NDJSON line per chunk, `{"type":"heartbeat"}` lines while a step is slow (a REST API closes a stream that
 * sends nothing for 5 min on Regional/Private endpoints, 30 s on edge-optimized ones), and exactly one last
 * line, `{"type":"end",...}` or `{"type":"error",...}`. A client that did not read an end line must treat the
 * output as incomplete. Each chunk is written the moment it exists, honouring backpressure ('drain').
 */

export type Item = Record<string, unknown>;

/** What the business logic yields: each value becomes one line of the stream. */
export type Produce = (request: Item, deadline: Deadline) => AsyncIterable<unknown>;

/** The writable side of Lambda's response stream (a Node.js Writable). */
export interface ResponseStream {
  write(chunk: string): boolean;
  end(): void;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  readonly destroyed?: boolean;
}

/** awslambda.HttpResponseStream: sends the status and headers before the body. */
export interface HttpResponseStreamFactory {
  from(stream: ResponseStream, metadata: { statusCode: number; headers: Record<string, string> }): ResponseStream;
}

export interface LambdaContext {
  getRemainingTimeInMillis(): number;
  awsRequestId: string;
}

export interface StreamEvent {
  body?: string | null;
  isBase64Encoded?: boolean;
}

export type Log = (level: 'INFO' | 'WARN' | 'ERROR', message: string, fields?: Record<string, unknown>) => void;

export interface Deps {
  produce: Produce;
  /** Checks the request before the status is sent: a BadRequest here is a 400; after it, only an error line. */
  validate?: (request: Item) => void;
  httpResponseStream: HttpResponseStreamFactory;
  /** The streamed window: 900 s through a function URL or a REST API with responseTransferMode STREAM. */
  windowSeconds: number;
  /** Time kept back at the end to write the last line before the function times out. */
  safetySeconds: number;
  /** A heartbeat is written when nothing was sent for this long (below the 30 s edge idle timeout). */
  heartbeatSeconds: number;
  clock?: () => number;
  every?: (ms: number, tick: () => void) => () => void;
  log?: Log;
}

export class BadRequest extends Error {}

export class DeadlineExceeded extends Error {}

export class Deadline {
  constructor(private readonly endsAt: number, private readonly clock: () => number) {}

  remaining(): number {
    return this.endsAt - this.clock();
  }

  check(step = ''): void {
    if (this.remaining() <= 0) throw new DeadlineExceeded(step);
  }
}

const NEAR_LIMIT_RATIO = 0.8;

const jsonLog: Log = (level, message, fields = {}) => {
  console.log(JSON.stringify({ level, message, ...fields }));
};

const realEvery = (ms: number, tick: () => void) => {
  const timer = setInterval(tick, ms);
  return () => clearInterval(timer);
};

export function parseRequest(event: StreamEvent): Item {
  let raw = event.body ?? '{}';
  if (event.isBase64Encoded) raw = Buffer.from(raw, 'base64').toString('utf8');
  let request: unknown;
  try {
    request = JSON.parse(raw);
  } catch (err) {
    throw new BadRequest(`body is not valid JSON: ${(err as Error).message}`);
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    throw new BadRequest('body must be a JSON object');
  }
  return request as Item;
}

/** Writes one NDJSON line and waits for 'drain' when the stream's buffer is full. */
async function writeLine(stream: ResponseStream, value: unknown): Promise<number> {
  const line = JSON.stringify(value) + '\n';
  if (!stream.write(line)) await new Promise<void>((resolve) => stream.once('drain', resolve));
  return Buffer.byteLength(line);
}

export function makeStreamHandler(deps: Deps) {
  const clock = deps.clock ?? (() => Date.now() / 1000);
  const every = deps.every ?? realEvery;
  const log = deps.log ?? jsonLog;

  return async (event: StreamEvent, responseStream: ResponseStream, context: LambdaContext): Promise<void> => {
    const started = clock();
    let request: Item;
    try {
      request = parseRequest(event);
      deps.validate?.(request);
    } catch (err) {
      if (!(err instanceof BadRequest)) throw err;
      const stream = deps.httpResponseStream.from(responseStream, { statusCode: 400, headers: { 'Content-Type': 'application/json' } });
      stream.write(JSON.stringify({ error: err.message }));
      stream.end();
      return;
    }

    const budget = Math.min(context.getRemainingTimeInMillis() / 1000, deps.windowSeconds) - deps.safetySeconds;
    const deadline = new Deadline(started + budget, clock);
    const stream = deps.httpResponseStream.from(responseStream, {
      statusCode: 200,
      headers: { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' },
    });
    let chunks = 0;
    let bytes = 0;
    let lastWrite = clock();
    let disconnected = false;
    stream.once('close', () => {
      disconnected = true;
    });
    const stopHeartbeat = every(deps.heartbeatSeconds * 1000, () => {
      if (!disconnected && clock() - lastWrite >= deps.heartbeatSeconds) {
        lastWrite = clock();
        stream.write(JSON.stringify({ type: 'heartbeat' }) + '\n');
      }
    });
    let outcome = 'end';
    try {
      for await (const data of deps.produce(request, deadline)) {
        if (disconnected || stream.destroyed) {
          // The client is gone; the function would otherwise run (and bill) to the end.
          outcome = 'disconnected';
          log('WARN', 'client disconnected; stopping', { chunks, bytes });
          break;
        }
        bytes += await writeLine(stream, { type: 'chunk', index: chunks, data });
        chunks += 1;
        lastWrite = clock();
        deadline.check(`after chunk ${chunks}`);
      }
      if (outcome === 'end') await writeLine(stream, { type: 'end', chunks, bytes });
    } catch (err) {
      outcome = 'error';
      if (err instanceof DeadlineExceeded) {
        log('ERROR', 'deadline exceeded', { step: err.message, budgetSeconds: budget, chunks });
        await writeLine(stream, {
          type: 'error',
          error: 'the work did not finish within the streamed window',
          hint: 'return a job id and finish asynchronously (a job pattern or a workflow)',
          chunks,
        });
      } else {
        // The status is already 200: the error goes into the stream, without internals.
        log('ERROR', 'stream failed', { error: String(err), chunks });
        await writeLine(stream, { type: 'error', error: 'internal error', requestId: context.awsRequestId, chunks });
      }
    } finally {
      stopHeartbeat();
      stream.end();
      const elapsed = clock() - started;
      log('INFO', 'stream finished', { outcome, chunks, bytes, elapsedSeconds: elapsed });
      if (elapsed >= NEAR_LIMIT_RATIO * deps.windowSeconds) {
        log('WARN', 'near the streamed window', { elapsedSeconds: elapsed, windowSeconds: deps.windowSeconds });
      }
    }
  };
}
