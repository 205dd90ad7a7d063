/**
 * Validate Lambda (workflow step 1) for {{patternName}}: core.ts holds the handler and ValidationError.
 */
import { makeHandler, ValidationError, type Item } from './core';

{{#if triggerEvent}}
/** Checks the uploaded object (bucket, key, size, etag); throw ValidationError to reject it. */
export function validateUpload(upload: Item): Item {
  // BUSINESS LOGIC: check the upload here (its key, size, type) before the work starts.
  if (Number(upload.size) < 0) throw new ValidationError('negative size');
  return upload;
}

export const handler = makeHandler({ validate: validateUpload });
{{/if}}
{{#if triggerSchedule}}
/** Decides what one scheduled run covers; throw ValidationError to reject it. */
export function validateRun(run: Item): Item {
  // BUSINESS LOGIC: decide what this run covers here (e.g. the period that ended at the scheduled time).
  if (!run.scheduledTime) throw new ValidationError('the run has no scheduled time');
  return run;
}

export const handler = makeHandler({ validate: validateRun });
{{/if}}
{{#if webhook}}
/** Picks what the work needs from the sender's payload; throw ValidationError for a delivery you ignore. */
export function validateDelivery(payload: Item): Item {
  // BUSINESS LOGIC: pick the fields the work needs here (throw ValidationError for events you do not handle).
  return payload;
}

export const handler = makeHandler({ validate: validateDelivery });
{{/if}}
{{#if triggerRequest}}
{{#unless webhook}}
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

export const handler = makeHandler({ validate: validateOrder });
{{/unless}}
{{/if}}
