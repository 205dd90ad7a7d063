{{#if webhook}}
/**
 * Mechanics of {{patternName}} behind a webhook: check the sender's signature, do the work and answer in the
 * same request.
 *
 * The sender ({{sender}}) signs every request; webhook-auth.ts checks it on the raw body (401 when it is missing,
 * wrong or stale). The work gets a deadline inside the sender's own (Slack waits 3 s, GitHub 10 s) and the door's
 * window (app.ts passes the smaller as windowSeconds); the answer is the response body{{#if senderSlackCommand}} (for a slash command,
 * the message Slack shows){{/if}}. The sender's delivery id is the idempotency key: the first delivery claims it in the
 * deliveries table and stores its answer, a redelivery gets that answer without the work running again, and a
 * delivery whose work fails or runs out of time releases its claim so the sender's retry can run it.
 */
{{else}}
/**
 * Mechanics of {{patternName}}: do the work and answer in the same request.
 *
 * API Gateway (REST) waits at most 29 s for the function; after that the caller gets a 504 while the function
 * may still be running. So the handler gives the work a deadline a little inside that window (and inside the
 * function's own remaining time): the work checks it between steps and, when time is up, the caller gets a
 * clear 504 that says to move this workload to an asynchronous pattern. A request that takes 80 % of the
 * window or more is logged as a warning: that is the moment to plan the move, before callers see timeouts.
 */
{{/if}}
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
{{#if webhook}}
import { acknowledgement, Rejected, verify, type Delivery, type Sender } from './webhook-auth';
{{/if}}

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
{{#if webhook}}
  sender: Sender;
  signingSecret: string;
  /** generic: the header that carries the signature. */
  signatureHeader?: string;
  /** The delivery claims and their answers (DynamoDB DocumentClient calls on DeliveriesTable, see app.ts). */
  deliveries: DeliveryTable;
  /** How long an answer is kept for redeliveries (the table's TTL). */
  keepAnswerSeconds: number;
  /** Epoch seconds. */
  now?: () => number;
{{/if}}
  /** Milliseconds, monotonic. */
  clock?: () => number;
  log?: Log;
}
{{#if webhook}}

export interface DeliveryTable {
  put(input: { Item: Item; ConditionExpression?: string }): Promise<void>;
  get(input: { Key: Item }): Promise<Item | undefined>;
  update(input: { Key: Item; UpdateExpression: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Item }): Promise<unknown>;
  delete(input: { Key: Item; ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Item }): Promise<void>;
}

export function isConditionalCheckFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'ConditionalCheckFailedException';
}

/** The response body the sender gets{{#if senderSlackCommand}}: a slash command shows it as a message{{/if}}. */
export function answerFor(result: unknown): unknown {
{{#if senderSlackCommand}}
  if (typeof result === 'object' && result !== null && ('text' in result || 'blocks' in result)) return result;
  return { response_type: 'ephemeral', text: JSON.stringify(result ?? null) };
{{else}}
  return result;
{{/if}}
}
{{/if}}

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
{{#if webhook}}
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));

  /** Claims the delivery id: undefined when this invocation is the first, else what to answer the redelivery. */
  async function claimDelivery(delivery: Delivery): Promise<unknown> {
    const deliveryId = String(delivery.id);
    try {
      await deps.deliveries.put({
        Item: { deliveryId, status: 'ANSWERING', expiresAt: now() + deps.keepAnswerSeconds },
        ConditionExpression: 'attribute_not_exists(deliveryId)',
      });
      return undefined;
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
    }
    const item = await deps.deliveries.get({ Key: { deliveryId } });
    if (item?.status === 'ANSWERED') return JSON.parse(String(item.answer));
    // The first delivery is still being answered: acknowledge; that answer reaches the sender.
    return { ...acknowledgement(delivery), duplicate: true };
  }

  async function recordAnswer(deliveryId: string, answer: unknown): Promise<void> {
    await deps.deliveries.update({
      Key: { deliveryId },
      UpdateExpression: 'SET #status = :answered, answer = :answer',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':answered': 'ANSWERED', ':answer': JSON.stringify(answer ?? null) },
    });
  }

  async function releaseDelivery(deliveryId: string): Promise<void> {
    try {
      await deps.deliveries.delete({
        Key: { deliveryId },
        ConditionExpression: '#status = :answering',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':answering': 'ANSWERING' },
      });
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
    }
  }
{{/if}}

  return async function handler(
    event: APIGatewayProxyEvent,
    context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
  ): Promise<APIGatewayProxyResult> {
    const started = clock();
    const budget = Math.min(context.getRemainingTimeInMillis() / 1000, deps.windowSeconds) - deps.safetySeconds;
    const deadline = new Deadline(budget, clock);
{{#if webhook}}
    let claimed: string | undefined; // the delivery this invocation claimed; released when its work does not finish
{{/if}}
    try {
{{#if webhook}}
      let delivery: Delivery;
      try {
        delivery = verify(event, deps.sender, deps.signingSecret, { header: deps.signatureHeader });
      } catch (err) {
        if (!(err instanceof Rejected)) throw err;
        log('warn', 'webhook rejected', { sender: deps.sender, status: err.status, reason: err.message });
        return respond(err.status, { error: err.message });
      }
      if (delivery.challenge !== undefined) return respond(200, acknowledgement(delivery)); // url_verification: no work
      const earlier = await claimDelivery(delivery);
      if (earlier !== undefined) {
        log('info', 'redelivery answered without running the work again', { deliveryId: delivery.id });
        return respond(200, earlier);
      }
      claimed = String(delivery.id);
      const answer = answerFor(await deps.handleRequest(delivery.payload, deadline));
      await recordAnswer(claimed, answer);
      claimed = undefined;
      return respond(200, answer);
{{else}}
      const request = parseRequest(event);
      return respond(200, await deps.handleRequest(request, deadline));
{{/if}}
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
{{#if webhook}}
      if (claimed !== undefined) await releaseDelivery(claimed); // the sender's retry may run the work again
{{/if}}
      const elapsed = (clock() - started) / 1000;
      if (elapsed >= NEAR_LIMIT_RATIO * deps.windowSeconds) {
        log('warn', 'near the synchronous limit', { elapsedSeconds: elapsed, windowSeconds: deps.windowSeconds });
      }
    }
  };
}
