// Self-invoke plumbing: signature check, idempotency, self-invocation, async leg. No AWS SDK at run time:
// the clients come in through `Deps`, so the tests run offline with fakes.
import type { APIGatewayProxyStructuredResultV2, Context, LambdaFunctionURLEvent } from 'aws-lambda';
import type {
  AttributeValue,
  DeleteItemCommandInput,
  PutItemCommandInput,
  UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { acknowledgement, postLateAnswer, Rejected, verify, type PostJson, type Sender } from './webhook-auth';

export const ASYNC_MARKER = 'asyncLeg';

/** The payload of the self-invocation. */
export interface AsyncLegEvent {
  asyncLeg: true;
  eventId: string;
  payload: Record<string, unknown>;
  /** A slash command's response_url: where the late answer goes. */
  responseUrl?: string;
}

/** What the webhook leg asks Lambda for: always the asynchronous ("Event") invocation type. */
export interface SelfInvocation {
  FunctionName: string;
  InvocationType: 'Event';
  Payload: string;
}

export interface Db {
  putItem(input: PutItemCommandInput): Promise<unknown>;
  updateItem(input: UpdateItemCommandInput): Promise<{ Attributes?: Record<string, AttributeValue> }>;
  deleteItem(input: DeleteItemCommandInput): Promise<unknown>;
}

export interface Deps {
  db: Db;
  lambda: { invoke(input: SelfInvocation): Promise<unknown> };
  signingSecret: string;
  /** Who signs the requests (webhook-auth.ts): slack-events, slack-command, github, stripe or generic. */
  sender: Sender;
  /** generic only: the header that carries HMAC-SHA256(secret, body) in hex. */
  signatureHeader?: string;
  /** POSTs the late answer to a slash command's response_url. */
  postJson: PostJson;
  tableName: string;
  maxClockSkewSeconds: number;
  maxAttempts: number;
  processEvent: (payload: Record<string, unknown>) => Promise<unknown>;
  now?: () => number;
  log?: (entry: Record<string, unknown>) => void;
}

type Invocation = Pick<Context, 'functionName' | 'awsRequestId' | 'getRemainingTimeInMillis'>;
type Headers = Record<string, string | undefined>;

const QUEUED = 'queued';
const PROCESSING = 'processing';

function response(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function isConditionalCheckFailed(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

export function isAsyncLeg(event: unknown): event is AsyncLegEvent {
  return typeof event === 'object' && event !== null && (event as Record<string, unknown>)[ASYNC_MARKER] === true;
}

export function makeHandler(deps: Deps) {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));
  const key = (eventId: string) => ({ eventId: { S: eventId } });

  async function webhookLeg(event: LambdaFunctionURLEvent, context: Invocation): Promise<APIGatewayProxyStructuredResultV2> {
    let delivery;
    try {
      delivery = verify(event, deps.sender, deps.signingSecret, {
        nowSeconds: now() / 1000, toleranceSeconds: deps.maxClockSkewSeconds, header: deps.signatureHeader,
      });
    } catch (err) {
      if (!(err instanceof Rejected)) throw err;
      log({ level: 'WARN', message: 'rejected', sender: deps.sender, status: err.status, reason: err.message });
      return response(err.status, { error: err.message });
    }
    if (delivery.challenge !== undefined) return response(200, acknowledgement(delivery)); // url_verification: no work
    const headers: Headers = {};
    for (const [k, v] of Object.entries(event.headers ?? {})) headers[k.toLowerCase()] = v;
    const eventId = String(delivery.id);
    const payload = delivery.payload;
    const nowSeconds = Math.floor(now() / 1000);
    try {
      await deps.db.putItem({
        TableName: deps.tableName,
        Item: {
          eventId: { S: eventId }, status: { S: QUEUED }, receivedAt: { N: String(nowSeconds) },
          expiresAt: { N: String(nowSeconds + 7 * 86400) },
        },
        ConditionExpression: 'attribute_not_exists(eventId)',
      });
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      log({ level: 'INFO', message: 'repeated delivery; already accepted', eventId, retryNum: headers['x-slack-retry-num'] });
      return response(200, { ...acknowledgement(delivery), duplicate: true });
    }

    const asyncEvent: AsyncLegEvent = { asyncLeg: true, eventId, payload };
    if (delivery.responseUrl) asyncEvent.responseUrl = delivery.responseUrl;
    try {
      await deps.lambda.invoke({
        FunctionName: context.functionName, // this very function
        InvocationType: 'Event', // queue it and return 202 at once; never RequestResponse here
        Payload: JSON.stringify(asyncEvent),
      });
    } catch (err) {
      // not handed off: forget the event id so the sender's retry is accepted
      await deps.db.deleteItem({ TableName: deps.tableName, Key: key(eventId) });
      log({ level: 'ERROR', message: 'self-invoke failed', eventId, error: String(err) });
      return response(500, { error: 'try again' });
    }
    log({ level: 'INFO', message: 'accepted; async leg invoked', eventId });
    return response(200, acknowledgement(delivery));
  }

  /** queued -> processing (or take over an expired claim). Returns the attempt number, or undefined. */
  async function claim(eventId: string, attemptId: string, leaseUntil: number): Promise<number | undefined> {
    try {
      const res = await deps.db.updateItem({
        TableName: deps.tableName,
        Key: key(eventId),
        UpdateExpression: 'SET #status = :processing, attemptId = :attempt, leaseUntil = :lease, '
          + 'attempts = if_not_exists(attempts, :zero) + :one',
        ConditionExpression: '#status = :queued OR (#status = :processing AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':processing': { S: PROCESSING }, ':queued': { S: QUEUED }, ':attempt': { S: attemptId },
          ':lease': { N: String(leaseUntil) }, ':now': { N: String(now()) }, ':zero': { N: '0' }, ':one': { N: '1' },
        },
        ReturnValues: 'ALL_NEW',
      });
      return Number(res.Attributes?.attempts?.N ?? '1');
    } catch (err) {
      if (isConditionalCheckFailed(err)) return undefined;
      throw err;
    }
  }

  /** processing -> done | failed | queued (release for a retry), only by the attempt holding the claim. */
  async function settle(eventId: string, attemptId: string, status: 'done' | 'failed' | 'queued', error?: string) {
    const values: Record<string, AttributeValue> = {
      ':status': { S: status }, ':processing': { S: PROCESSING }, ':attempt': { S: attemptId },
      ':now': { N: String(Math.floor(now() / 1000)) },
    };
    let update = 'SET #status = :status, settledAt = :now';
    if (error !== undefined) {
      update += ', lastError = :error';
      values[':error'] = { S: error.slice(0, 1000) };
    }
    try {
      await deps.db.updateItem({
        TableName: deps.tableName,
        Key: key(eventId),
        UpdateExpression: `${update} REMOVE leaseUntil`,
        ConditionExpression: '#status = :processing AND attemptId = :attempt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      });
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  async function asyncLeg(event: AsyncLegEvent, context: Invocation) {
    const { eventId } = event;
    const attemptId = context.awsRequestId;
    const attempt = await claim(eventId, attemptId, now() + context.getRemainingTimeInMillis() + 5000);
    if (attempt === undefined) {
      log({ level: 'INFO', message: 'event already processed or in progress; skipping duplicate', eventId });
      return { status: 'duplicate' };
    }
    let result: unknown;
    try {
      result = await deps.processEvent(event.payload);
    } catch (err) {
      const last = attempt >= deps.maxAttempts;
      await settle(eventId, attemptId, last ? 'failed' : 'queued', String(err));
      log({ level: 'ERROR', message: 'async leg failed', eventId, attempt, final: last, error: String(err) });
      throw err; // Lambda retries the async invocation, then sends it to the on-failure destination
    }
    if (event.responseUrl) {
      // A slash command's late answer (the 200 already went back within Slack's 3 s).
      const reply = (result as { reply?: unknown } | null)?.reply ?? result;
      await postLateAnswer(deps.postJson, event.responseUrl, { response_type: 'in_channel', text: String(reply) });
    }
    await settle(eventId, attemptId, 'done');
    log({ level: 'INFO', message: 'event processed', eventId, attempt });
    return { status: 'done', result };
  }

  return async function handler(event: LambdaFunctionURLEvent | AsyncLegEvent, context: Invocation) {
    // Only a direct Invoke can put a top-level key into the event: requests through the function URL
    // arrive wrapped (headers, body, requestContext), so a caller cannot forge the marker.
    if (isAsyncLeg(event)) return asyncLeg(event, context);
    return webhookLeg(event, context);
  };
}
