/**
 * The durable workflow of {{patternName}}, written against a small interface of the Durable Execution SDK
 * (`@aws/durable-execution-sdk-js`) so that its logic is tested offline with a fake (tests/workflow.test.ts);
 * app.ts passes the SDK's real `DurableContext`.
 *
 *   validate ──▶ wait (cooling-off, no compute) ──▶ approval (callback, no compute) ──▶ fulfil | reject
 *
 * Every completed step is checkpointed: when Lambda resumes the execution after the wait or the callback, the SDK
 * replays this function and returns the recorded results instead of running the steps again. Code outside a step
 * runs on every replay, so it must be deterministic: no Date.now(), Math.random() or I/O outside a step.
 */

export type Item = Record<string, unknown>;

/** The operations of the SDK's DurableContext this workflow uses (names and shapes as the SDK documents them). */
export interface Durable {
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  wait(name: string, duration: { seconds: number }): Promise<void>;
  waitForCallback<T>(name: string, submitter: (callbackId: string) => Promise<void>, config?: { timeout?: { seconds: number } }): Promise<T>;
}

export interface Order {
  orderId: string;
  amount: number;
  items: unknown[];
}

export interface Decision {
  approved: boolean;
  approver?: string;
  reason?: string;
}

export interface WorkflowDeps {
  /** Sends the callback id to the approver; their answer goes to ApprovalFunction (POST /approvals/{id}). */
  notifyApprover(callbackId: string, order: Order): Promise<void>;
  coolingOffSeconds: number;
  approvalTimeoutHours: number;
{{#if webhook}}
{{#if senderSlackCommand}}
  /** Posts a slash command's late answer to its response_url (webhook-auth's postLateAnswer over fetch). */
  postLateAnswer(responseUrl: string, message: unknown): Promise<void>;
{{/if}}
{{/if}}
}

export function validateOrder(input: Item): Order {
  if (typeof input.orderId !== 'string' || input.orderId === '') throw new Error('orderId is required');
  // BUSINESS LOGIC: validate and enrich the order here (prices, stock, customer). Return what later steps need.
  return { orderId: input.orderId, amount: Number(input.amount ?? 0), items: Array.isArray(input.items) ? input.items : [] };
}

/** The approved work, run once after approval; it may run again before its checkpoint is written: keep it idempotent. */
export async function fulfilOrder(order: Order, approver: string): Promise<Item> {
  // BUSINESS LOGIC: do the approved work here (charge, ship, provision), idempotent by orderId.
  return { orderId: order.orderId, status: 'FULFILLED', approvedBy: approver };
}

export async function recordRejection(order: Order, decision: Decision): Promise<Item> {
  // BUSINESS LOGIC: undo what validateOrder reserved, tell the customer.
  return { orderId: order.orderId, status: 'REJECTED', reason: decision.reason ?? '' };
}

/**
 * Whether waitForCallback failed because its timeout passed: the SDK's callback timeout error (by name; a callback
 * the approver's system failed with SendDurableExecutionCallbackFailure is another error and fails the execution).
 */
export function isCallbackTimeout(err: unknown): boolean {
  const { name = '', message = '' } = (err ?? {}) as { name?: string; message?: string };
  return /CallbackTimeout/.test(name) || (/Callback/.test(name) && /timed?[ _-]?out/i.test(message));
}

/** The approver's callback result: JSON {"approved": bool, "approver": str, "reason": str}, as text or parsed. */
export function parseDecision(raw: unknown): Decision {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      value = {};
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { approved: false };
  const object = value as Item;
  return { approved: object.approved === true, approver: String(object.approver ?? ''), reason: String(object.reason ?? '') };
}

export function makeWorkflow(deps: WorkflowDeps) {
{{#if webhook}}
{{#if senderSlackCommand}}
  const run = workflow(deps);
  return async (event: Item, context: Durable): Promise<Item> => {
    const result = await run(event, context);
    const responseUrl = typeof event.responseUrl === 'string' ? event.responseUrl : '';
    if (responseUrl) {
      // The slash command's late answer, once the work is done. Slack keeps a response_url for 30 minutes
      // (5 answers): a later answer is refused, so it is best effort, never a failure.
      await context.step('answer', async () => {
        try {
          await deps.postLateAnswer(responseUrl, { response_type: 'in_channel', text: JSON.stringify(result) });
          return { answered: true };
        } catch (err) {
          console.warn(JSON.stringify({ level: 'WARN', message: 'late answer not delivered', error: String(err) }));
          return { answered: false };
        }
      });
    }
    return result;
  };
}

function workflow(deps: WorkflowDeps) {
{{/if}}
{{/if}}
  return async (event: Item, context: Durable): Promise<Item> => {
    const order = await context.step('validate', async () => validateOrder(event));

    const coolingOff = Number(event.coolingOffSeconds ?? deps.coolingOffSeconds);
    if (coolingOff >= 1) {
      // Suspends the execution: no invocation runs, no compute is billed, until the wait ends.
      await context.wait('cooling-off', { seconds: coolingOff });
    }

    let raw: unknown;
    try {
      raw = await context.waitForCallback<unknown>(
        'approval',
        async (callbackId) => deps.notifyApprover(callbackId, order),
        { timeout: { seconds: deps.approvalTimeoutHours * 3600 } },
      );
    } catch (err) {
      if (!isCallbackTimeout(err)) throw err;
      // Nobody answered in time: compensate as for a rejection (undo what validateOrder reserved).
      const timedOut: Decision = { approved: false, reason: `no decision within ${deps.approvalTimeoutHours} h` };
      return context.step('reject', () => recordRejection(order, timedOut));
    }
    const decision = parseDecision(raw);
    if (!decision.approved) return context.step('reject', () => recordRejection(order, decision));
    return context.step('fulfil', () => fulfilOrder(order, decision.approver || 'unknown'));
  };
}
