// Test helper: Lambda events signed the way each webhook sender signs them (tests only; node:crypto).
import { createHmac } from 'node:crypto';

export type SenderName = 'slack-events' | 'slack-command' | 'github' | 'stripe' | 'generic';

export interface SignedEvent {
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
  requestContext: { http: { method: string } };
}

function hex(secret: string, message: Buffer): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

/** The raw body a sender sends: form fields for a slash command, JSON for everyone else. */
export function bodyFor(sender: SenderName, payload: Record<string, unknown>): Buffer {
  if (sender === 'slack-command') return Buffer.from(new URLSearchParams(payload as Record<string, string>).toString(), 'utf8');
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

export interface SignOptions {
  nowSeconds?: number;
  deliveryId?: string;
  header?: string;
  base64?: boolean;
  unsigned?: boolean;
}

/** An API Gateway / function URL event carrying `payload` as `sender` signs it at `nowSeconds`. */
export function signedEvent(sender: SenderName, payload: Record<string, unknown>, secret: string, options: SignOptions = {}): SignedEvent {
  const now = Math.floor(options.nowSeconds ?? Date.now() / 1000);
  const header = options.header ?? 'X-Signature-256';
  const raw = bodyFor(sender, payload);
  const headers: Record<string, string> = {
    'Content-Type': sender === 'slack-command' ? 'application/x-www-form-urlencoded' : 'application/json',
  };
  if (sender === 'slack-events' || sender === 'slack-command') {
    headers['X-Slack-Request-Timestamp'] = String(now);
    headers['X-Slack-Signature'] = `v0=${hex(secret, Buffer.concat([Buffer.from(`v0:${now}:`), raw]))}`;
  } else if (sender === 'github') {
    headers['X-Hub-Signature-256'] = `sha256=${hex(secret, raw)}`;
    headers['X-GitHub-Delivery'] = options.deliveryId ?? 'delivery-1';
    headers['X-GitHub-Event'] = 'push';
  } else if (sender === 'stripe') {
    headers['Stripe-Signature'] = `t=${now},v1=${hex(secret, Buffer.concat([Buffer.from(`${now}.`), raw]))}`;
  } else {
    headers[header] = `sha256=${hex(secret, raw)}`;
    headers['X-Webhook-Id'] = options.deliveryId ?? 'delivery-1';
  }
  if (options.unsigned) {
    for (const name of ['X-Slack-Signature', 'X-Hub-Signature-256', 'Stripe-Signature', header]) delete headers[name];
  }
  const body = options.base64 ? raw.toString('base64') : raw.toString('utf8');
  return { headers, body, isBase64Encoded: options.base64 ?? false, requestContext: { http: { method: 'POST' } } };
}

/** A minimal delivery of each sender, with the id the sender would use for dedupe. */
export function samplePayload(sender: SenderName, deliveryId = 'delivery-1'): Record<string, unknown> {
  switch (sender) {
    case 'slack-events':
      return { type: 'event_callback', event_id: deliveryId, event: { type: 'app_mention', text: 'hi', channel: 'C1' } };
    case 'slack-command':
      return { command: '/report', text: 'weekly', trigger_id: deliveryId, user_id: 'U1', response_url: 'https://hooks.slack.com/commands/T1/1/abc' };
    case 'stripe':
      return { id: deliveryId, type: 'invoice.paid', data: { object: { id: 'in_1' } } };
    default:
      return { action: 'opened', id: deliveryId };
  }
}

/** Whether the sender's signature carries a timestamp (so a stale one is refused). */
export function usesTimestamp(sender: SenderName): boolean {
  return sender === 'slack-events' || sender === 'slack-command' || sender === 'stripe';
}
