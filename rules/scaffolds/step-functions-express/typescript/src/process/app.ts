/**
 * Process Lambda (workflow step 2) for {{patternName}}. The state machine (statemachine/workflow.asl.json)
 * retries transient errors, catches the rest and stores the result with a conditional DynamoDB write.
 */
import { makeHandler, type Item } from './core';

interface Order {
  customerId: string;
  items: { sku: string; quantity: number }[];
}

/** Does the work; throw TransientError (from ./core) for a failure worth retrying. */
export async function processOrder(requestId: string, order: Item): Promise<unknown> {
  // BUSINESS LOGIC: do the work here; return a JSON-serialisable result.
  const { customerId, items } = order as unknown as Order;
  return { customerId, lines: items.length, units: items.reduce((sum, item) => sum + item.quantity, 0) };
}

export const handler = makeHandler({ processOrder });
