{{#if triggerEvent}}
/**
 * StartFunction of {{patternName}}: S3 invokes it asynchronously for every object created in the uploads bucket;
 * each object starts one durable execution asynchronously through the workflow's alias.
 *
 *   S3 record -> Invoke(FunctionName=<the workflow's live alias>, InvocationType "Event", DurableExecutionName=<name>)
 *
 * InvocationType Event lets the execution run past 15 minutes (up to DurableConfig.ExecutionTimeout). The execution
 * name is the object's identity (bucket, key and S3's sequencer, hashed to the 64 characters Lambda allows): a
 * redelivered S3 event names the same execution, and Lambda answers the same name and payload with the existing
 * execution. A start that fails throws: Lambda retries the S3 event, then sends it to the on-failure destination.
 */
{{/if}}
{{#if triggerSchedule}}
/**
 * StartFunction of {{patternName}}: EventBridge Scheduler invokes it on the schedule; each scheduled time starts one
 * durable execution asynchronously through the workflow's alias.
 *
 *   Scheduler -> Invoke(FunctionName=<the workflow's live alias>, InvocationType "Event", DurableExecutionName=run-<time>)
 *
 * InvocationType Event lets the execution run past 15 minutes (up to DurableConfig.ExecutionTimeout). The execution
 * name is the scheduled time (the same on every retry of one run): a Scheduler retry or a duplicate delivery names
 * the same execution and starts nothing new. A start that fails throws: Lambda retries, then parks the event.
 */
{{/if}}
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#if webhook}}
/**
 * StartFunction of {{patternName}}: the webhook's front door. Checks the sender's signature, starts one durable
 * execution per delivery asynchronously through the workflow's alias, answers 200 at once.
 *
 *   POST /webhook -> Invoke(FunctionName=<the workflow's live alias>, InvocationType "Event", DurableExecutionName=<delivery>)
 *
 * The sender ({{sender}}, WEBHOOK_SENDER) signs every request; webhook-auth.ts checks it on the raw body (401 when it
 * is missing, wrong or stale). The sender's delivery id names the execution (hashed when it does not fit the 64
 * characters of A-Z a-z 0-9 _ - Lambda allows): a redelivery names the same execution, which Lambda does not start
 * twice. A start that fails is 503, so the sender retries.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { acknowledgement, Rejected, verify, type Sender } from './webhook-auth';
{{else}}
/**
 * StartFunction of {{patternName}}: accepts an order and starts its durable execution asynchronously; answers 202.
 *
 *   POST /orders -> Invoke(FunctionName=<the workflow's live alias>, InvocationType "Event", DurableExecutionName=<id>)
 *
 * InvocationType Event lets the execution run past 15 minutes (up to DurableConfig.ExecutionTimeout); a synchronous
 * invoke would wait for the whole execution and be capped at 15 minutes. The alias is required: an unqualified
 * function ARN cannot start a durable execution. The execution name is the Idempotency-Key (or a new id): Lambda
 * answers a retry with the same name and payload with the existing execution.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
{{/if}}
{{/unless}}
{{/unless}}
{{#unless triggerRequest}}
{{#unless triggerWebhook}}
import { createHash } from 'node:crypto';
{{/unless}}
{{/unless}}

export type Item = Record<string, unknown>;

export interface StartDeps {
  /** Invoke with InvocationType "Event" and DurableExecutionName; resolves to the DurableExecutionArn if returned. */
  startExecution(name: string, payload: string): Promise<string | undefined>;
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#if webhook}}
  sender: Sender;
  signingSecret: string;
  /** generic: the header that carries the signature. */
  signatureHeader?: string;
{{else}}
  newId: () => string;
{{/if}}
{{/unless}}
{{/unless}}
  validateOrder?: (order: Item) => Item;
}

{{#unless triggerRequest}}
{{#unless triggerWebhook}}
export type Started = { executionName: string; executionArn: string } | { executionName: string; duplicate: true };

/** Starts the execution named `name`; one already started under that name is not started again. */
async function start(deps: StartDeps, name: string, order: Item): Promise<Started> {
  // BUSINESS LOGIC: cheap checks before starting (shape, size) in validateOrder; throw to fail this start.
  const checked = deps.validateOrder ? deps.validateOrder(order) : order;
  try {
    const arn = await deps.startExecution(name, JSON.stringify(checked));
    console.info(JSON.stringify({ level: 'INFO', message: 'execution started', executionName: name }));
    return { executionName: name, executionArn: arn ?? '' };
  } catch (err) {
    if ((err as Error).name !== 'DurableExecutionAlreadyStartedException') throw err; // Lambda retries, then parks the event
    console.info(JSON.stringify({ level: 'INFO', message: 'execution already started', executionName: name }));
    return { executionName: name, duplicate: true };
  }
}
{{/unless}}
{{/unless}}
{{#if triggerEvent}}

/** An S3 object as a notification record or an EventBridge "Object Created" event names it. */
export interface S3Object {
  key: string;
  size?: number;
  sequencer?: string;
}

/** What S3 sends (Records), or EventBridge for the bucket's "Object Created" events (source aws.s3). */
export interface StartEvent {
  Records?: { eventSource?: string; eventName?: string; s3: { bucket: { name: string }; object: S3Object } }[];
  source?: string;
  detail?: { bucket?: { name?: string }; object?: S3Object };
}

/**
 * [execution name, order] of each object the event names: S3 notification records, or an EventBridge "Object
 * Created" event (the bucket's EventBridge switch, README). Other events (S3's s3:TestEvent) name none.
 */
export function ordersOf(event: StartEvent): [string, Item][] {
  const objects: [string, S3Object, boolean][] = [];
  if (event.source === 'aws.s3') {
    objects.push([event.detail?.bucket?.name ?? '', event.detail?.object ?? { key: '' }, false]);
  } else {
    for (const record of event.Records ?? []) {
      if (record.eventSource === 'aws:s3' && (record.eventName ?? '').startsWith('ObjectCreated:')) {
        objects.push([record.s3.bucket.name, record.s3.object, true]);
      }
    }
  }
  return objects.map(([bucket, object, encoded]) => {
    // A notification's key is URL-encoded (a space arrives as "+"); EventBridge's is not.
    const key = encoded ? decodeURIComponent(object.key.replace(/\+/g, ' ')) : object.key;
    // The sequencer orders the events of one key: a redelivery has the same, a new upload a greater one.
    const name = 's3-' + createHash('sha256').update(`${bucket}/${key}#${object.sequencer ?? ''}`).digest('hex').slice(0, 40);
    return [name, { orderId: name, bucket, key, size: object.size ?? 0 }];
  });
}

export function makeHandler(deps: StartDeps) {
  return async (event: StartEvent): Promise<{ started: Started[] }> => {
    const started: Started[] = [];
    for (const [name, order] of ordersOf(event)) started.push(await start(deps, name, order));
    return { started };
  };
}
{{/if}}
{{#if triggerSchedule}}

/** What the schedule's Input gives the function (Scheduler fills the context attributes). */
export interface StartEvent {
  scheduledTime?: string;
  scheduleArn?: string;
}

/** 2024-06-01T12:00:00Z -> run-20240601T120000Z (a name is 1-64 of A-Z a-z 0-9 _ -). */
export function runName(scheduledTime: string): string {
  const name = 'run-' + scheduledTime.replace(/[^A-Za-z0-9]/g, '');
  return name.length <= 64 ? name : 'run-' + createHash('sha256').update(scheduledTime).digest('hex').slice(0, 40);
}

export function makeHandler(deps: StartDeps) {
  return async (event: StartEvent): Promise<Started> => {
    const scheduled = String(event.scheduledTime ?? '');
    if (!scheduled) throw new Error('no scheduledTime: the schedule\'s Input must carry <aws.scheduler.scheduled-time>');
    const name = runName(scheduled);
    return start(deps, name, { orderId: name, scheduledTime: scheduled });
  };
}
{{/if}}
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#if webhook}}
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

export class BadRequest extends Error {
  override name = 'BadRequest';
}

export function respond(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

/** The delivery id as an execution name: 1-64 of A-Z a-z 0-9 _ -, else its SHA-256 (a Slack trigger_id has dots). */
export function executionNameOf(deliveryId: string): string {
  return NAME.test(deliveryId) ? deliveryId : 'wh-' + createHash('sha256').update(deliveryId).digest('hex').slice(0, 40);
}

export function makeHandler(deps: StartDeps) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    let delivery;
    try {
      delivery = verify(event, deps.sender, deps.signingSecret, { header: deps.signatureHeader });
    } catch (err) {
      if (!(err instanceof Rejected)) throw err;
      console.warn(JSON.stringify({ level: 'WARN', message: 'webhook rejected', sender: deps.sender, status: err.status, reason: err.message }));
      return respond(err.status, { error: err.message });
    }
    if (delivery.challenge !== undefined) return respond(200, acknowledgement(delivery)); // url_verification: no execution
    const name = executionNameOf(String(delivery.id));
    let order: Item = { orderId: name, sender: deps.sender, delivery: delivery.payload };
    try {
      // BUSINESS LOGIC: cheap checks of the delivery (its event type, size) in validateOrder; throw BadRequest for 400.
      if (deps.validateOrder) order = deps.validateOrder(order);
    } catch (err) {
      if (err instanceof BadRequest) return respond(400, { error: err.message });
      throw err;
    }
    if (delivery.responseUrl) order = { ...order, responseUrl: delivery.responseUrl }; // the workflow's late answer
    try {
      await deps.startExecution(name, JSON.stringify(order));
      console.info(JSON.stringify({ level: 'INFO', message: 'execution started', executionName: name }));
    } catch (err) {
      if ((err as Error).name !== 'DurableExecutionAlreadyStartedException') {
        console.error(JSON.stringify({ level: 'ERROR', message: 'could not start the execution', executionName: name, error: String(err) }));
        return respond(503, { error: 'could not start the workflow; retry later' }); // the sender retries
      }
      console.info(JSON.stringify({ level: 'INFO', message: 'redelivery: the execution was started already', executionName: name }));
    }
    return respond(200, { ...acknowledgement(delivery), executionName: name });
  };
}
{{else}}
const KEY = /^[A-Za-z0-9_-]{1,64}$/;

export class BadRequest extends Error {
  override name = 'BadRequest';
}

export function respond(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export function parseBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Item {
  let raw = event.body ?? '{}';
  if (event.isBase64Encoded) raw = Buffer.from(raw, 'base64').toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new BadRequest(`body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequest('body must be a JSON object');
  return value as Item;
}

export function makeHandler(deps: StartDeps) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    let order: Item;
    let name: string;
    try {
      order = parseBody(event);
      // BUSINESS LOGIC: cheap checks before starting (shape, size) in validateOrder; the workflow validates the rest.
      if (deps.validateOrder) order = deps.validateOrder(order);
      const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const key = headers['idempotency-key'];
      if (key !== undefined && !KEY.test(String(key))) throw new BadRequest('Idempotency-Key must be 1-64 characters of A-Z a-z 0-9 _ -');
      name = key === undefined ? deps.newId() : String(key);
    } catch (err) {
      if (err instanceof BadRequest) return respond(400, { error: err.message });
      throw err;
    }
    if (order.orderId === undefined) order = { ...order, orderId: name };
    try {
      const arn = await deps.startExecution(name, JSON.stringify(order));
      return respond(202, arn ? { executionName: name, status: 'RUNNING', executionArn: arn } : { executionName: name, status: 'RUNNING' });
    } catch (err) {
      if ((err as Error).name === 'DurableExecutionAlreadyStartedException') {
        return respond(409, { error: `Idempotency-Key '${name}' already started a different order` });
      }
      console.error(JSON.stringify({ level: 'ERROR', message: 'could not start the execution', executionName: name, error: String(err) }));
      return respond(503, { error: 'could not start the workflow; retry later' });
    }
  };
}
{{/if}}
{{/unless}}
{{/unless}}
