import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCallbackTimeout, makeWorkflow, parseDecision, type Durable, type Item, type Order } from '../src/workflow/core';

/**
 * A fake of the SDK's DurableContext with its replay semantics: completed steps are checkpointed and returned on
 * replay, a wait or an unanswered callback suspends the run (throws Suspend) until the test resumes it. The real
 * SDK is exercised by `@aws/durable-execution-sdk-js-testing` (README, "Testing with the real SDK").
 */
class Suspend extends Error {}

class FakeDurable implements Durable {
  checkpoints = new Map<string, unknown>();
  ran: string[] = [];
  waits: { name: string; seconds: number }[] = [];
  callbacks = new Map<string, { id: string; result?: unknown }>();
  elapsedWaits = new Set<string>();
  /** Callbacks whose timeout has passed without an answer. */
  timedOut = new Set<string>();

  async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    if (this.checkpoints.has(name)) return this.checkpoints.get(name) as T;
    this.ran.push(name);
    const value = await fn();
    this.checkpoints.set(name, value);
    return value;
  }

  async wait(name: string, duration: { seconds: number }): Promise<void> {
    if (this.elapsedWaits.has(name)) return;
    this.waits.push({ name, seconds: duration.seconds });
    this.elapsedWaits.add(name);
    throw new Suspend(name);
  }

  async waitForCallback<T>(name: string, submitter: (id: string) => Promise<void>): Promise<T> {
    let callback = this.callbacks.get(name);
    if (!callback) {
      callback = { id: `cb-${name}` };
      this.callbacks.set(name, callback);
      await this.step(`${name} submitter`, () => submitter(callback!.id));
    }
    if (this.timedOut.has(name)) throw Object.assign(new Error(`callback ${name} timed out`), { name: 'CallbackTimeoutError' });
    if (callback.result === undefined) throw new Suspend(name);
    return callback.result as T;
  }

  /** Runs the workflow as Lambda would: invocation after invocation until it returns (or stops at a callback). */
  async run(workflow: (event: Item, ctx: Durable) => Promise<Item>, event: Item): Promise<Item | undefined> {
    for (let invocation = 0; invocation < 10; invocation++) {
      try {
        return await workflow(event, this);
      } catch (err) {
        if (!(err instanceof Suspend)) throw err;
        if ([...this.callbacks].some(([name, c]) => c.result === undefined && !this.timedOut.has(name))) return undefined;
      }
    }
    throw new Error('did not finish');
  }
}

const ORDER = { orderId: 'order-42', amount: 120, items: ['book'] };

{{#if webhook}}
{{#if senderSlackCommand}}
function setup(postLateAnswer: (url: string, message: unknown) => Promise<void> = async () => {}) {
{{else}}
function setup() {
{{/if}}
{{else}}
function setup() {
{{/if}}
  const notified: { callbackId: string; order: Order }[] = [];
  const workflow = makeWorkflow({
    notifyApprover: async (callbackId, order) => {
      notified.push({ callbackId, order });
    },
    coolingOffSeconds: 3600,
    approvalTimeoutHours: 72,
{{#if webhook}}
{{#if senderSlackCommand}}
    postLateAnswer,
{{/if}}
{{/if}}
  });
  return { workflow, notified, ctx: new FakeDurable() };
}

test('an approved order waits, asks once, then is fulfilled', async () => {
  const { workflow, notified, ctx } = setup();
  assert.equal(await ctx.run(workflow, ORDER), undefined); // suspended at the approval
  assert.deepEqual(ctx.waits, [{ name: 'cooling-off', seconds: 3600 }]);
  assert.deepEqual(notified.map((n) => n.callbackId), ['cb-approval']);
  ctx.callbacks.get('approval')!.result = JSON.stringify({ approved: true, approver: 'ana' });
  const result = await ctx.run(workflow, ORDER);
  assert.deepEqual(result, { orderId: 'order-42', status: 'FULFILLED', approvedBy: 'ana' });
  // Replays returned the checkpoints: each step ran once, the approver was notified once.
  assert.deepEqual(ctx.ran, ['validate', 'approval submitter', 'fulfil']);
  assert.equal(notified.length, 1);
});

test('a rejected order records the rejection and skips the work', async () => {
  const { workflow, ctx } = setup();
  await ctx.run(workflow, ORDER);
  ctx.callbacks.get('approval')!.result = { approved: false, reason: 'over budget' };
  const result = await ctx.run(workflow, ORDER);
  assert.deepEqual(result, { orderId: 'order-42', status: 'REJECTED', reason: 'over budget' });
  assert.ok(!ctx.ran.includes('fulfil'));
});

test('no cooling-off skips the wait; an invalid order fails in the first step', async () => {
  const { workflow, ctx } = setup();
  await ctx.run(workflow, { ...ORDER, coolingOffSeconds: 0 });
  assert.deepEqual(ctx.waits, []);
  await assert.rejects(setup().ctx.run(workflow, { amount: 1 }), /orderId is required/);
});

test('parseDecision accepts text and objects, and refuses anything else', () => {
  assert.deepEqual(parseDecision('{"approved": true, "approver": "bo"}'), { approved: true, approver: 'bo', reason: '' });
  assert.equal(parseDecision('not json').approved, false);
  assert.equal(parseDecision([1]).approved, false);
});

test('no decision within the timeout runs the compensation, not the work', async () => {
  const { workflow, ctx } = setup();
  assert.equal(await ctx.run(workflow, ORDER), undefined); // waiting for the approver
  ctx.timedOut.add('approval');
  const result = await ctx.run(workflow, ORDER);
  assert.deepEqual(result, { orderId: 'order-42', status: 'REJECTED', reason: 'no decision within 72 h' });
  assert.ok(ctx.ran.includes('reject') && !ctx.ran.includes('fulfil'));
});

test('isCallbackTimeout tells a timeout from a failed callback', () => {
  assert.equal(isCallbackTimeout(Object.assign(new Error('x'), { name: 'CallbackTimeoutError' })), true);
  assert.equal(isCallbackTimeout(Object.assign(new Error('callback timed out'), { name: 'CallbackError' })), true);
  assert.equal(isCallbackTimeout(Object.assign(new Error('approver system down'), { name: 'CallbackError' })), false);
  assert.equal(isCallbackTimeout(new Error('boom')), false);
});
{{#if webhook}}
{{#if senderSlackCommand}}

test("a slash command's late answer is posted to its response_url when the work is done", async () => {
  const posted: { url: string; message: unknown }[] = [];
  const { workflow, ctx } = setup(async (url, message) => { posted.push({ url, message }); });
  const order = { ...ORDER, responseUrl: 'https://hooks.slack.com/commands/T1/1/abc' };
  await ctx.run(workflow, order);
  assert.deepEqual(posted, []); // nothing before the work is done
  ctx.callbacks.get('approval')!.result = { approved: true, approver: 'ana' };
  const result = await ctx.run(workflow, order);
  assert.deepEqual(posted, [{ url: 'https://hooks.slack.com/commands/T1/1/abc', message: { response_type: 'in_channel', text: JSON.stringify(result) } }]);
  assert.deepEqual(ctx.ran, ['validate', 'approval submitter', 'fulfil', 'answer']);
});

test('an expired response_url does not fail the execution', async () => {
  const { workflow, ctx } = setup(async () => { throw new Error('response_url answered 404'); });
  const order = { ...ORDER, responseUrl: 'https://hooks.slack.com/commands/T1/1/abc' };
  await ctx.run(workflow, order);
  ctx.callbacks.get('approval')!.result = { approved: false, reason: 'no' };
  assert.equal((await ctx.run(workflow, order))?.status, 'REJECTED');
  assert.deepEqual(ctx.checkpoints.get('answer'), { answered: false });
});
{{/if}}
{{/if}}
