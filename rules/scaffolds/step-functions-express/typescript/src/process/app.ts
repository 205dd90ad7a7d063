/**
 * Process Lambda (workflow step 2) for {{patternName}}. The state machine (statemachine/workflow.asl.json)
 * retries transient errors, catches the rest and stores the result with a conditional DynamoDB write.
 */
{{#if triggerEvent}}
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
{{/if}}
import { makeHandler, type Item } from './core';
{{#if senderSlackCommand}}
import { fetchPost } from './webhook-auth';
{{/if}}
{{#if triggerEvent}}

const s3 = new S3Client({});

async function readObject(bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body?.transformToString('utf-8')) ?? '';
}

/** Does the work on one uploaded object; throw TransientError (from ./core) for a failure worth retrying. */
export async function processUpload(requestId: string, upload: Item): Promise<unknown> {
  const text = await readObject(String(upload.bucket), String(upload.key));
  // BUSINESS LOGIC: do the work on the object here; return a JSON-serialisable result.
  return { key: upload.key, bytes: upload.size, lines: text.split('\n').filter((line) => line.length > 0).length };
}

export const handler = makeHandler({ process: processUpload });
{{/if}}
{{#if triggerSchedule}}

/** Does the periodic work of one run; throw TransientError (from ./core) for a failure worth retrying. */
export async function processRun(requestId: string, run: Item): Promise<unknown> {
  // BUSINESS LOGIC: do the periodic work here; return a JSON-serialisable result.
  return { scheduledTime: run.scheduledTime, attempt: run.attempt, done: true };
}

export const handler = makeHandler({ process: processRun });
{{/if}}
{{#if webhook}}

/** Does the work a delivery asks for; throw TransientError (from ./core) for a failure worth retrying. */
export async function processDelivery(requestId: string, delivery: Item): Promise<unknown> {
  // BUSINESS LOGIC: do the work the delivery asks for here; return a JSON-serialisable result.
  return { deliveryId: requestId, fields: Object.keys(delivery).sort() };
}

export const handler = makeHandler({ process: processDelivery{{#if senderSlackCommand}}, postJson: fetchPost{{/if}} });
{{/if}}
{{#if triggerRequest}}
{{#unless webhook}}

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

export const handler = makeHandler({ process: processOrder });
{{/unless}}
{{/if}}
