/**
 * Mechanics of {{patternName}}: long work in short calls, resumed with a continuation token.
 *
 * A call does the work in steps while the time budget allows: the smaller of the function's remaining time
 * (context.getRemainingTimeInMillis()) and API Gateway's 29 s window, minus safetySeconds. A step starts
 * only while at least maxStepSeconds are left. If the work is not finished the progress is saved in DynamoDB
 * (with a TTL) and the caller gets {"status": "in_progress", "continuationToken": ...}; it calls again with
 * {"continuationToken": ...} and the next call resumes where the last one stopped. The final call answers
 * {"status": "complete", "result": ...} and deletes the saved state.
 *
 * A token is leased while a call works on it, so two calls with the same token never run the same step twice.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

export type Item = Record<string, unknown>;

export interface Update {
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

/** DynamoDB DocumentClient calls on the continuation table, keyed by `token` (see app.ts). */
export interface ContinuationTable {
  put(item: Item, condition: Omit<Update, 'UpdateExpression'>): Promise<void>;
  get(token: string): Promise<Item | undefined>;
  /** UpdateItem; returns the item after the update (ReturnValues ALL_NEW). */
  update(token: string, update: Update): Promise<Item>;
  delete(token: string): Promise<void>;
}

export interface Step {
  cursor: unknown;
  partial: unknown;
  done: boolean;
}

/**
 * One bounded step (at most maxStepSeconds). `cursor` and `partial` are undefined on the first step and what
 * the previous step returned (JSON-serialisable) afterwards. Steps must be safe to repeat: a call that dies
 * after a step but before saving repeats that step.
 */
export type RunStep = (input: Item, cursor: unknown, partial: unknown) => Promise<Step>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

/** Answered with 400. */
export class BadRequest extends Error {
  override name = 'BadRequest';
}

class TokenGone extends Error {}
class TokenBusy extends Error {}

export interface ApiDeps {
  table: ContinuationTable;
  runStep: RunStep;
  newToken: () => string;
  windowSeconds: number;
  safetySeconds: number;
  maxStepSeconds: number;
  tokenTtlSeconds: number;
  /** Milliseconds, monotonic: measures the API window. */
  clock?: () => number;
  /** Epoch seconds: leases and TTLs. */
  now?: () => number;
  log?: Log;
}

interface Job {
  input: Item;
  cursor: unknown;
  partial: unknown;
  steps: number;
}

export function isConditionalCheckFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'ConditionalCheckFailedException';
}

export function parseBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Item {
  let raw = event.body ?? '{}';
  if (event.isBase64Encoded) raw = Buffer.from(raw, 'base64').toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    throw new BadRequest(`body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('body must be a JSON object');
  return body as Item;
}

function respond(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

/** JSON text of a cursor or partial result; `undefined` is stored as null. */
function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function fromJson(text: unknown): unknown {
  return JSON.parse(String(text)) ?? undefined;
}

export function makeHandler(deps: ApiDeps) {
  const clock = deps.clock ?? (() => performance.now());
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const log = deps.log ?? jsonLog;
  const { table } = deps;

  /** Leases the saved job for this call and returns it. */
  async function claim(token: string): Promise<Job> {
    const at = now();
    let item: Item;
    try {
      item = await table.update(token, {
        UpdateExpression: 'SET leaseUntil = :lease',
        ConditionExpression: 'attribute_exists(#token) AND expiresAt > :now AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':lease': at + Math.ceil(deps.windowSeconds) + 1, ':now': at },
      });
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
      const existing = await table.get(token);
      if (existing === undefined || Number(existing.expiresAt) <= at) throw new TokenGone();
      throw new TokenBusy();
    }
    return {
      input: JSON.parse(String(item.input)) as Item,
      cursor: fromJson(item.cursor),
      partial: fromJson(item.partial),
      steps: Number(item.steps),
    };
  }

  /** Stores the progress (a new token on the first call) and releases the lease. */
  async function save(token: string | undefined, job: Job): Promise<string> {
    const at = now();
    if (token === undefined) {
      const created = deps.newToken(); // unguessable: the token is the only key to the job
      await table.put(
        {
          token: created,
          input: JSON.stringify(job.input),
          cursor: toJson(job.cursor),
          partial: toJson(job.partial),
          steps: job.steps,
          createdAt: at,
          updatedAt: at,
          expiresAt: at + deps.tokenTtlSeconds,
        },
        { ConditionExpression: 'attribute_not_exists(#token)', ExpressionAttributeNames: { '#token': 'token' } },
      );
      return created;
    }
    await table.update(token, {
      UpdateExpression: 'SET #cursor = :cursor, #partial = :partial, steps = :steps, updatedAt = :now, expiresAt = :expires REMOVE leaseUntil',
      ExpressionAttributeNames: { '#cursor': 'cursor', '#partial': 'partial' },
      ExpressionAttributeValues: {
        ':cursor': toJson(job.cursor),
        ':partial': toJson(job.partial),
        ':steps': job.steps,
        ':now': at,
        ':expires': at + deps.tokenTtlSeconds,
      },
    });
    return token;
  }

  return async function handler(
    event: APIGatewayProxyEvent,
    context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
  ): Promise<APIGatewayProxyResult> {
    const started = clock();
    const timeLeft = () => {
      const windowLeft = deps.windowSeconds - (clock() - started) / 1000;
      return Math.min(context.getRemainingTimeInMillis() / 1000, windowLeft) - deps.safetySeconds;
    };

    let token: string | undefined;
    let job: Job;
    try {
      const body = parseBody(event);
      const given = body.continuationToken;
      if (given === undefined) {
        job = { input: body, cursor: undefined, partial: undefined, steps: 0 };
      } else if (typeof given === 'string' && given !== '') {
        token = given;
        job = await claim(given);
      } else {
        throw new BadRequest('continuationToken must be a non-empty string');
      }
    } catch (err) {
      if (err instanceof BadRequest) return respond(400, { error: err.message });
      if (err instanceof TokenGone) return respond(410, { error: 'continuation token unknown or expired; start the job again' });
      if (err instanceof TokenBusy) return respond(409, { error: 'another call is working on this token; retry in a few seconds' });
      throw err;
    }

    let done = false;
    try {
      while (timeLeft() >= deps.maxStepSeconds) {
        const step = await deps.runStep(job.input, job.cursor, job.partial);
        job.cursor = step.cursor;
        job.partial = step.partial;
        job.steps += 1;
        done = step.done;
        if (done) break;
      }
    } catch (err) {
      if (err instanceof BadRequest) {
        if (token !== undefined) await table.delete(token);
        return respond(400, { error: err.message });
      }
      // Keep the saved progress and release the lease: the client may retry the same token.
      log('error', 'step failed', { steps: job.steps, error: err instanceof Error ? err.stack : String(err) });
      if (token !== undefined) await table.update(token, { UpdateExpression: 'REMOVE leaseUntil' });
      return respond(500, { error: 'internal error', requestId: context.awsRequestId });
    }

    if (done) {
      if (token !== undefined) await table.delete(token);
      log('info', 'job complete', { steps: job.steps });
      return respond(200, { status: 'complete', result: job.partial, steps: job.steps });
    }
    const saved = await save(token, job);
    log('info', 'job continues', { steps: job.steps, cursor: toJson(job.cursor) });
    return respond(200, { status: 'in_progress', continuationToken: saved, steps: job.steps });
  };
}
