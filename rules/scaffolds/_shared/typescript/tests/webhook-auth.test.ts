// The webhook signature checks of every sender (webhook-auth.ts is the same file in every function folder
// that faces a webhook; the first one found is tested).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { samplePayload, signedEvent, usesTimestamp, type SenderName } from './webhook-signing';

interface Delivery { id?: string; payload: Record<string, unknown>; raw: Buffer; responseUrl?: string; challenge?: string }
interface Auth {
  SENDERS: readonly SenderName[];
  verify(request: unknown, sender: SenderName, secret: string, options?: { nowSeconds?: number; header?: string }): Delivery;
  rawBody(request: unknown): Buffer;
  acknowledgement(delivery: Delivery): Record<string, unknown>;
  postLateAnswer(post: (url: string, body: unknown) => Promise<number>, url: string, message: unknown): Promise<void>;
  hmacHex(secret: string, message: Buffer): string;
}

const src = join(__dirname, '..', 'src');
const folder = readdirSync(src).sort().find((name) => existsSync(join(src, name, 'webhook-auth.js')) || existsSync(join(src, name, 'webhook-auth.ts')));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const auth = require(join(src, String(folder), 'webhook-auth')) as Auth;

const SECRET = 'test-webhook-secret';
const NOW = 1_700_000_000;
const SIGNATURE_HEADERS = ['X-Slack-Signature', 'X-Slack-Request-Timestamp', 'X-Hub-Signature-256', 'Stripe-Signature', 'X-Signature-256'];

function rejectedWith(status: number, run: () => unknown): void {
  assert.throws(run, (err: { name?: string; status?: number }) => err.name === 'Rejected' && err.status === status);
}

for (const sender of auth.SENDERS) {
  test(`${sender}: a valid signature is accepted with the sender's delivery id`, () => {
    const delivery = auth.verify(signedEvent(sender, samplePayload(sender, 'd-42'), SECRET, { nowSeconds: NOW, deliveryId: 'd-42' }), sender, SECRET, { nowSeconds: NOW });
    assert.equal(delivery.id, 'd-42');
    assert.deepEqual(delivery.payload, samplePayload(sender, 'd-42'));
  });

  test(`${sender}: a base64-encoded body is decoded before the check`, () => {
    const delivery = auth.verify(signedEvent(sender, samplePayload(sender), SECRET, { nowSeconds: NOW, base64: true }), sender, SECRET, { nowSeconds: NOW });
    assert.deepEqual(delivery.payload, samplePayload(sender));
  });

  test(`${sender}: another secret, a missing signature or a changed body is 401`, () => {
    rejectedWith(401, () => auth.verify(signedEvent(sender, samplePayload(sender), 'another-secret', { nowSeconds: NOW }), sender, SECRET, { nowSeconds: NOW }));
    rejectedWith(401, () => auth.verify(signedEvent(sender, samplePayload(sender), SECRET, { nowSeconds: NOW, unsigned: true }), sender, SECRET, { nowSeconds: NOW }));
    const changed = signedEvent(sender, samplePayload(sender), SECRET, { nowSeconds: NOW });
    changed.body = changed.body.replace('1', '2');
    rejectedWith(401, () => auth.verify(changed, sender, SECRET, { nowSeconds: NOW }));
  });

  if (usesTimestamp(sender)) {
    test(`${sender}: a stale timestamp is 401, one inside the tolerance is accepted`, () => {
      rejectedWith(401, () => auth.verify(signedEvent(sender, samplePayload(sender), SECRET, { nowSeconds: NOW - 301 }), sender, SECRET, { nowSeconds: NOW }));
      assert.ok(auth.verify(signedEvent(sender, samplePayload(sender), SECRET, { nowSeconds: NOW - 299 }), sender, SECRET, { nowSeconds: NOW }));
    });
  }

  test(`${sender}: random requests are verified or rejected, never crash (property)`, () => {
    const good = signedEvent(sender, samplePayload(sender), SECRET, { nowSeconds: NOW });
    const pieces = ['', 'v0=', 'sha256=', 't=1,v1=', '=', ',', '%', '{', '}', '\u0000', 'é', '1700000000', good.body];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = (n: number) => Array.from({ length: Math.floor(random() * n) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    for (let i = 0; i < 150; i++) {
      const event = JSON.parse(JSON.stringify(good)) as typeof good;
      for (const name of Object.keys(event.headers)) if (random() < 0.5) event.headers[name] = pick(4);
      if (random() < 0.5) event.body = pick(5);
      if (random() < 0.2) event.isBase64Encoded = true;
      let delivery: Delivery;
      try {
        delivery = auth.verify(event, sender, SECRET, { nowSeconds: NOW });
      } catch (err) {
        assert.ok([400, 401].includes((err as { status?: number }).status ?? 0), String(err));
        continue;
      }
      // Accepted: then it is the signed body under the signed headers.
      assert.deepEqual(delivery.raw, auth.rawBody(good));
      for (const name of SIGNATURE_HEADERS) assert.equal(event.headers[name], good.headers[name], name);
    }
  });
}

test('header names are case-insensitive', () => {
  const event = signedEvent('github', samplePayload('github'), SECRET, { nowSeconds: NOW });
  event.headers = Object.fromEntries(Object.entries(event.headers).map(([k, v]) => [k.toLowerCase(), v]));
  assert.equal(auth.verify(event, 'github', SECRET, { nowSeconds: NOW }).id, 'delivery-1');
});

test('the generic header is configurable', () => {
  const event = signedEvent('generic', samplePayload('generic'), SECRET, { nowSeconds: NOW, header: 'X-Acme-Signature' });
  assert.equal(auth.verify(event, 'generic', SECRET, { nowSeconds: NOW, header: 'X-Acme-Signature' }).id, 'delivery-1');
  rejectedWith(401, () => auth.verify(event, 'generic', SECRET, { nowSeconds: NOW }));
});

test('Slack url_verification is answered with its challenge', () => {
  const event = signedEvent('slack-events', { type: 'url_verification', challenge: 'c-123', token: 't' }, SECRET, { nowSeconds: NOW });
  const delivery = auth.verify(event, 'slack-events', SECRET, { nowSeconds: NOW });
  assert.deepEqual(auth.acknowledgement(delivery), { challenge: 'c-123' });
});

test('a slash command is read as form fields with its response_url', () => {
  const delivery = auth.verify(signedEvent('slack-command', samplePayload('slack-command', 'trig-1'), SECRET, { nowSeconds: NOW }), 'slack-command', SECRET, { nowSeconds: NOW });
  assert.equal(delivery.id, 'trig-1');
  assert.equal(delivery.payload.command, '/report');
  assert.equal(delivery.responseUrl, 'https://hooks.slack.com/commands/T1/1/abc');
});

test('a Stripe header with several v1 signatures is accepted when one matches', () => {
  const event = signedEvent('stripe', samplePayload('stripe'), SECRET, { nowSeconds: NOW });
  event.headers['Stripe-Signature'] = event.headers['Stripe-Signature'].replace(',v1=', `,v1=${'0'.repeat(64)},v1=`);
  assert.equal(auth.verify(event, 'stripe', SECRET, { nowSeconds: NOW }).id, 'delivery-1');
});

test('a body that is not JSON is 400 after a valid signature; a body marked base64 that is not is 400', () => {
  const raw = Buffer.from('not json');
  rejectedWith(400, () => auth.verify({ headers: { 'X-Signature-256': `sha256=${auth.hmacHex(SECRET, raw)}` }, body: 'not json' }, 'generic', SECRET, { nowSeconds: NOW }));
  rejectedWith(400, () => auth.verify({ headers: {}, body: '%%%', isBase64Encoded: true }, 'generic', SECRET, { nowSeconds: NOW }));
});

test('the late answer is posted to the response_url', async () => {
  const sent: [string, unknown][] = [];
  await auth.postLateAnswer(async (url, body) => (sent.push([url, body]), 200), 'https://hooks.slack.com/commands/T1/1/abc', { text: 'done' });
  assert.deepEqual(sent, [['https://hooks.slack.com/commands/T1/1/abc', { text: 'done' }]]);
  await assert.rejects(auth.postLateAnswer(async () => 404, 'https://hooks.slack.com/x', {}), /answered 404/);
});
