/**
 * Validate Lambda (workflow step 1) for {{patternName}}: core.ts holds the handler and ValidationError.
 */
import { makeHandler, ValidationError, type Item } from './core';

/** Returns the normalised order; throw ValidationError with a message the client may see. */
export function validateOrder(order: Item): Item {
  // BUSINESS LOGIC: check and normalise the request here.
  const items = order.items;
  if (!Array.isArray(items) || items.length === 0) throw new ValidationError('items must be a non-empty list');
  const lines = items.map((item: unknown) => {
    const { sku, quantity } = (item ?? {}) as { sku?: unknown; quantity?: unknown };
    if (!sku || !(Number(quantity) >= 1)) throw new ValidationError('every item needs a sku and a quantity >= 1');
    return { sku: String(sku), quantity: Math.floor(Number(quantity)) };
  });
  return { customerId: String(order.customerId ?? ''), items: lines };
}

export const handler = makeHandler({ validateOrder });
