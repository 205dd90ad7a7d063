/**
 * Webhook front door of {{patternName}}: check the sender's signature, start the Standard workflow named by the
 * delivery id, answer 200 at once.
 *
 * The sender ({{sender}}) signs every request; webhook-auth.ts checks it on the raw body and answers 401 when it is
 * missing, wrong or stale. The sender's delivery id names the execution: Standard workflows dedupe StartExecution
 * by name for 90 days, so a redelivery (senders retry when the answer is slow or lost) starts nothing new: the
 * same name and input while that execution runs returns it, and once it has ended (or with another input)
 * StartExecution fails with ExecutionAlreadyExists, answered 200 as a duplicate.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { acknowledgement, Rejected, verify, type Sender } from './webhook-auth';

export type Item = Record<string, unknown>;

/** StartExecution with a name (see app.ts); returns the execution ARN. */
export interface Workflow {
  start(name: string, input: string): Promise<string>;
}

/** Maps the verified delivery to the workflow's request. */
export type ToRequest = (request: Item) => Item | Promise<Item>;

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Item) => void;

export const jsonLog: Log = (level, message, fields = {}) => {
  const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

export interface WebhookDeps {
  workflow: Workflow;
  toRequest: ToRequest;
  /** The webhook sender ({{sender}}) and its signing secret: every request's signature is checked. */
  sender: Sender;
  signingSecret: string;
  /** generic only: the header that carries HMAC-SHA256(secret, body) in hex. */
  signatureHeader?: string;
  /** Epoch seconds. */
  now?: () => number;
  log?: Log;
}

const EXECUTION_NAME = /^[A-Za-z0-9_.-]{1,80}$/;

/** The delivery id as an execution name (1-80 of A-Z a-z 0-9 _ . -), else a digest of it: the same id, the same name. */
export function executionName(deliveryId: string): string {
  if (EXECUTION_NAME.test(deliveryId)) return deliveryId;
  return `d-${createHash('sha256').update(deliveryId, 'utf8').digest('hex').slice(0, 64)}`;
}

export function isExecutionAlreadyExists(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'ExecutionAlreadyExists';
}

function respond(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export function makeHandler(deps: WebhookDeps) {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const log = deps.log ?? jsonLog;

  return async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    let delivery;
    try {
      delivery = verify(event, deps.sender, deps.signingSecret, { nowSeconds: now(), header: deps.signatureHeader });
    } catch (err) {
      if (!(err instanceof Rejected)) throw err;
      log('warn', 'webhook rejected', { sender: deps.sender, status: err.status, reason: err.message });
      return respond(err.status, { error: err.message });
    }
    if (delivery.challenge !== undefined) return respond(200, acknowledgement(delivery)); // url_verification: no work

    const deliveryId = String(delivery.id);
    const name = executionName(deliveryId);
    const request: Item = { sender: deps.sender, deliveryId, payload: delivery.payload };
    if (delivery.responseUrl) request.responseUrl = delivery.responseUrl; // a slash command: ExecuteFunction answers there
    try {
      const executionArn = await deps.workflow.start(name, JSON.stringify(await deps.toRequest(request)));
      log('info', 'workflow started', { deliveryId, executionArn });
    } catch (err) {
      if (!isExecutionAlreadyExists(err)) throw err;
      log('info', 'delivery already started', { deliveryId, execution: name });
      return respond(200, { ...acknowledgement(delivery), execution: name, duplicate: true });
    }
    return respond(200, { ...acknowledgement(delivery), execution: name });
  };
}
