/**
 * Mechanics of {{patternName}}: do the work and answer in the same request.
 *
 * API Gateway (REST) waits at most 29 s for the function; after that the caller gets a 504 while the function
 * may still be running. So the handler gives the work a deadline a little inside that window (and inside the
 * function's own remaining time): the work checks it between steps and, when time is up, the caller gets a
 * clear 504 that says to move this workload to an asynchronous pattern. A request that takes 80 % of the
 * window or more is logged as a warning: that is the moment to plan the move, before callers see timeouts.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

export type Item = Record<string, unknown>;
export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

/** The request is invalid: answered with 400. */
export class BadRequest extends Error {
  override name = 'BadRequest';
}

/** The work ran out of time: answered with 504. */
export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
}

/** Time left for the work. */
export class Deadline {
  private readonly endsAt: number;
  private readonly clock: () => number;

  constructor(seconds: number, clock: () => number) {
    this.clock = clock;
    this.endsAt = clock() + seconds * 1000;
  }

  /** Seconds left. */
  remaining(): number {
    return (this.endsAt - this.clock()) / 1000;
  }

  check(step = ''): void {
    if (this.remaining() <= 0) throw new DeadlineExceeded(step);
  }
}

/** Does the work and returns the response body; call deadline.check('step') between steps. */
export type HandleRequest = (request: Item, deadline: Deadline) => Promise<unknown>;

export interface ApiDeps {
  handleRequest: HandleRequest;
  /** The door's integration timeout: 29 s for API Gateway REST. */
  windowSeconds: number;
  /** Kept back for writing the answer. */
  safetySeconds: number;
  /** Milliseconds, monotonic. */
  clock?: () => number;
  log?: Log;
}

export const NEAR_LIMIT_RATIO = 0.8;

export function parseRequest(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Item {
  let raw = event.body ?? '{}';
  if (event.isBase64Encoded) raw = Buffer.from(raw, 'base64').toString('utf8');
  let request: unknown;
  try {
    request = JSON.parse(raw);
  } catch (err) {
    throw new BadRequest(`body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new BadRequest('body must be a JSON object');
  return request as Item;
}

function respond(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export function makeHandler(deps: ApiDeps) {
  const clock = deps.clock ?? (() => performance.now());
  const log = deps.log ?? jsonLog;

  return async function handler(
    event: APIGatewayProxyEvent,
    context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
  ): Promise<APIGatewayProxyResult> {
    const started = clock();
    const budget = Math.min(context.getRemainingTimeInMillis() / 1000, deps.windowSeconds) - deps.safetySeconds;
    const deadline = new Deadline(budget, clock);
    try {
      const request = parseRequest(event);
      return respond(200, await deps.handleRequest(request, deadline));
    } catch (err) {
      if (err instanceof BadRequest) return respond(400, { error: err.message });
      if (err instanceof DeadlineExceeded) {
        log('error', 'deadline exceeded', { step: err.message, budgetSeconds: budget });
        return respond(504, {
          error: 'the work did not finish within the synchronous window',
          hint: 'return a job id and finish asynchronously (async-invoke or sqs-queue), or a continuation token',
        });
      }
      // Never leak a stack trace to the caller.
      log('error', 'request failed', { error: err instanceof Error ? err.stack : String(err) });
      return respond(500, { error: 'internal error', requestId: context.awsRequestId });
    } finally {
      const elapsed = (clock() - started) / 1000;
      if (elapsed >= NEAR_LIMIT_RATIO * deps.windowSeconds) {
        log('warn', 'near the synchronous limit', { elapsedSeconds: elapsed, windowSeconds: deps.windowSeconds });
      }
    }
  };
}
