// Webhook signature checks and body parsing for the senders async-advisor knows (node:crypto only).
//
// verify(request, sender, secret, options) takes the Lambda event of an API Gateway (REST or HTTP API),
// function URL or ALB request and returns a Delivery, or throws Rejected (401 for a bad, missing or stale
// signature, 400 for a body that cannot be read). The signature is checked on the raw bytes the sender
// signed, before anything is parsed; a base64-encoded body (isBase64Encoded) is decoded first.
//
//   slack-events   X-Slack-Signature = v0=HMAC-SHA256(secret, "v0:{X-Slack-Request-Timestamp}:{body}"), the
//                  timestamp within the tolerance; JSON body; url_verification answered with its challenge;
//                  delivery id = event_id (Slack retries with the same one)
//   slack-command  the same signature; form-encoded body (application/x-www-form-urlencoded); the late answer
//                  goes to response_url; delivery id = trigger_id
//   github         X-Hub-Signature-256 = sha256=HMAC-SHA256(secret, body); JSON body (or the form field
//                  `payload`); delivery id = X-GitHub-Delivery (a redelivery keeps it)
//   stripe         Stripe-Signature = t={timestamp},v1={HMAC-SHA256(secret, "{t}.{body}")}[,v1=…], the
//                  timestamp within the tolerance; JSON event; delivery id = the event's id
//   generic        {header} = [sha256=]HMAC-SHA256(secret, body) in hex, the header configurable (default
//                  X-Signature-256); JSON body; delivery id = the X-Webhook-Id header, else the body's SHA-256
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SENDERS = ['slack-events', 'slack-command', 'github', 'stripe', 'generic'] as const;
export type Sender = (typeof SENDERS)[number];
export const DEFAULT_TOLERANCE_SECONDS = 300; // Slack and Stripe both suggest 5 minutes
export const DEFAULT_GENERIC_HEADER = 'x-signature-256';
export const GENERIC_ID_HEADER = 'x-webhook-id';

/** The parts of a Lambda HTTP event the check reads. */
export interface WebhookRequest {
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** The request is not answered with work: `status` is the HTTP status to return (401 or 400). */
export class Rejected extends Error {
  override name = 'Rejected';
  constructor(readonly status: 400 | 401, message: string) {
    super(message);
  }
}

/** One verified webhook delivery. */
export interface Delivery {
  sender: Sender;
  /** The sender's id for this delivery: dedupe on it (undefined for a Slack url_verification). */
  id: string | undefined;
  /** The parsed body: a JSON object, or a slash command's form fields. */
  payload: Record<string, unknown>;
  /** The bytes that were signed. */
  raw: Buffer;
  /** slack-command: where the late answer goes. */
  responseUrl?: string;
  /** slack-events url_verification: answer 200 with it and do no work. */
  challenge?: string;
}

export interface VerifyOptions {
  nowSeconds?: number;
  toleranceSeconds?: number;
  /** generic: the header that carries the signature. */
  header?: string;
}

export function isSender(value: string): value is Sender {
  return (SENDERS as readonly string[]).includes(value);
}

/** The body as the sender sent it, base64-decoded when the door encoded it. */
export function rawBody(request: WebhookRequest): Buffer {
  const body = request.body ?? '';
  if (!request.isBase64Encoded) return Buffer.from(body, 'utf8');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) {
    throw new Rejected(400, 'body is marked base64-encoded but is not base64');
  }
  return Buffer.from(body, 'base64');
}

/** Header names lowercased (HTTP API and function URLs lowercase them, REST APIs and ALB keep the case). */
export function headersOf(request: WebhookRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value !== undefined && value !== null) out[name.toLowerCase()] = String(value);
  }
  return out;
}

export function hmacHex(secret: string, message: Buffer): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

/** Constant-time comparison of text that may hold any character (a header is attacker-controlled). */
function same(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function require401(condition: boolean, message: string): void {
  if (!condition) throw new Rejected(401, message);
}

function fresh(timestamp: string, nowSeconds: number, tolerance: number): void {
  require401(/^\d+$/.test(timestamp), 'missing or malformed signature timestamp');
  require401(Math.abs(nowSeconds - Number(timestamp)) <= tolerance, 'stale signature timestamp (a replayed request?)');
}

function jsonObject(raw: Buffer): Record<string, unknown> {
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw new Rejected(400, 'body must be JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new Rejected(400, 'body must be a JSON object');
  return payload as Record<string, unknown>;
}

function form(raw: Buffer): Record<string, string> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    if (/%(?![0-9A-Fa-f]{2})/.test(text)) throw new Error('bad escape');
  } catch {
    throw new Rejected(400, 'body must be form-encoded (application/x-www-form-urlencoded)');
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) if (!(key in fields)) fields[key] = value;
  return fields;
}

function slackSigned(headers: Record<string, string>, raw: Buffer, secret: string, nowSeconds: number, tolerance: number): void {
  const timestamp = headers['x-slack-request-timestamp'] ?? '';
  const signature = headers['x-slack-signature'] ?? '';
  require401(signature.startsWith('v0='), 'missing X-Slack-Signature');
  fresh(timestamp, nowSeconds, tolerance);
  const expected = `v0=${hmacHex(secret, Buffer.concat([Buffer.from(`v0:${timestamp}:`), raw]))}`;
  require401(same(expected, signature), 'X-Slack-Signature does not match');
}

/** Checks the sender's signature and parses the body; returns a Delivery or throws Rejected. */
export function verify(request: WebhookRequest, sender: Sender, secret: string, options: VerifyOptions = {}): Delivery {
  if (!isSender(sender)) throw new Error(`unknown webhook sender ${JSON.stringify(sender)}; one of ${SENDERS.join(', ')}`);
  if (!secret) throw new Error('the webhook signing secret is empty');
  const nowSeconds = options.nowSeconds ?? Date.now() / 1000;
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const headers = headersOf(request);
  const raw = rawBody(request);

  switch (sender) {
    case 'slack-events': {
      slackSigned(headers, raw, secret, nowSeconds, tolerance);
      const payload = jsonObject(raw);
      if (payload.type === 'url_verification') return { sender, id: undefined, payload, raw, challenge: String(payload.challenge ?? '') };
      if (typeof payload.event_id !== 'string' || !payload.event_id) throw new Rejected(400, 'a Slack event needs an event_id');
      return { sender, id: payload.event_id, payload, raw };
    }
    case 'slack-command': {
      slackSigned(headers, raw, secret, nowSeconds, tolerance);
      const payload = form(raw);
      if (!payload.trigger_id || !payload.response_url) throw new Rejected(400, 'a slash command needs trigger_id and response_url');
      return { sender, id: payload.trigger_id, payload, raw, responseUrl: payload.response_url };
    }
    case 'github': {
      const signature = headers['x-hub-signature-256'] ?? '';
      require401(signature.startsWith('sha256='), 'missing X-Hub-Signature-256');
      require401(same(`sha256=${hmacHex(secret, raw)}`, signature), 'X-Hub-Signature-256 does not match');
      const id = headers['x-github-delivery'] ?? '';
      if (!id) throw new Rejected(400, 'missing X-GitHub-Delivery');
      const payload = (headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
        ? jsonObject(Buffer.from(form(raw).payload ?? '', 'utf8'))
        : jsonObject(raw);
      return { sender, id, payload, raw };
    }
    case 'stripe': {
      const parts = (headers['stripe-signature'] ?? '').split(',').filter((p) => p.includes('=')).map((p) => {
        const at = p.indexOf('=');
        return [p.slice(0, at).trim(), p.slice(at + 1)] as const;
      });
      const timestamp = parts.find(([k]) => k === 't')?.[1] ?? '';
      const candidates = parts.filter(([k]) => k === 'v1').map(([, v]) => v);
      require401(candidates.length > 0, 'missing Stripe-Signature v1');
      fresh(timestamp, nowSeconds, tolerance);
      const expected = hmacHex(secret, Buffer.concat([Buffer.from(`${timestamp}.`), raw]));
      require401(candidates.some((c) => same(expected, c)), 'Stripe-Signature does not match');
      const payload = jsonObject(raw);
      if (typeof payload.id !== 'string' || !payload.id) throw new Rejected(400, 'a Stripe event needs an id');
      return { sender, id: payload.id, payload, raw };
    }
    default: {
      const header = options.header ?? DEFAULT_GENERIC_HEADER;
      const signature = headers[header.toLowerCase()] ?? '';
      require401(signature !== '', `missing ${header}`);
      const hex = signature.startsWith('sha256=') ? signature.slice('sha256='.length) : signature;
      require401(same(hmacHex(secret, raw), hex.toLowerCase()), `${header} does not match`);
      const payload = jsonObject(raw);
      const id = headers[GENERIC_ID_HEADER] || `sha256:${createHash('sha256').update(raw).digest('hex')}`;
      return { sender, id, payload, raw };
    }
  }
}

/** What to answer at once: Slack's challenge, a slash command's visible receipt, else {ok: true}. */
export function acknowledgement(delivery: Delivery): Record<string, unknown> {
  if (delivery.challenge !== undefined) return { challenge: delivery.challenge };
  if (delivery.sender === 'slack-command') return { response_type: 'ephemeral', text: 'Working on it…' };
  return { ok: true };
}

/** POSTs JSON to a URL; the handlers get it injected (fetch in app.ts, a fake in the tests). */
export type PostJson = (url: string, body: unknown) => Promise<number>;

/** Posts the late answer of a slash command to its response_url (valid for 30 minutes, up to 5 answers). */
export async function postLateAnswer(post: PostJson, responseUrl: string, message: unknown): Promise<void> {
  const status = await post(responseUrl, message);
  if (status >= 300) throw new Error(`response_url answered ${status}`);
}

/** PostJson over the global fetch (Node.js 18+), for app.ts. */
export const fetchPost: PostJson = async (url, body) => {
  const answer = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return answer.status;
};
