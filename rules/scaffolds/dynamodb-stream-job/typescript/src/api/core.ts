// Job API: POST /jobs writes {jobId, status: "pending", input}; GET /jobs/{jobId} reads it back.
// An Idempotency-Key header maps to a deterministic job id, so a retried submission returns the same job.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { AttributeValue, GetItemCommandInput, PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';

type Item = Record<string, AttributeValue>;

export interface Db {
  putItem(input: PutItemCommandInput): Promise<unknown>;
  getItem(input: GetItemCommandInput): Promise<{ Item?: Item }>;
}

export interface Deps {
  db: Db;
  tableName: string;
  jobTtlDays: number;
  newId: () => string;
  now?: () => number;
  log?: (entry: Record<string, unknown>) => void;
}

const MAX_INPUT_BYTES = 256 * 1024; // the whole item is capped at 400 KB

function response(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A stable job id for an idempotency key (UUID-shaped, from SHA-256). */
export function jobIdForKey(key: string): string {
  const h = createHash('sha256').update(`job:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function publicView(item: Item): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const k of ['jobId', 'status', 'createdAt', 'updatedAt', 'completedAt', 'error']) {
    const v = item[k]?.S;
    if (v !== undefined) view[k] = v;
  }
  if (item.result?.S !== undefined) view.result = JSON.parse(item.result.S);
  return view;
}

export function makeHandler(deps: Deps) {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));

  async function submit(event: APIGatewayProxyEventV2) {
    let body: unknown;
    try {
      const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '';
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return response(400, { message: 'body must be JSON' });
    }
    const input = (body as { input?: unknown } | null)?.input;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return response(400, { message: 'body must be {"input": {...}}' });
    }
    const inputJson = JSON.stringify(input);
    if (Buffer.byteLength(inputJson, 'utf8') > MAX_INPUT_BYTES) {
      return response(413, { message: 'input too large: put it in S3 and send the key' });
    }
    const idempotencyKey = event.headers?.['idempotency-key'];
    const jobId = idempotencyKey ? jobIdForKey(idempotencyKey) : deps.newId();
    const t = new Date(now()).toISOString();
    const expiresAt = Math.floor(now() / 1000) + deps.jobTtlDays * 86400;
    try {
      await deps.db.putItem({
        TableName: deps.tableName,
        Item: {
          jobId: { S: jobId }, status: { S: 'pending' }, input: { S: inputJson },
          createdAt: { S: t }, updatedAt: { S: t }, expiresAt: { N: String(expiresAt) },
        },
        ConditionExpression: 'attribute_not_exists(jobId)',
      });
    } catch (err) {
      if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
      const { Item } = await deps.db.getItem({ TableName: deps.tableName, Key: { jobId: { S: jobId } }, ConsistentRead: true });
      log({ level: 'INFO', message: 'repeated submission; returning the existing job', jobId });
      return response(200, Item ? publicView(Item) : { jobId, status: 'pending' });
    }
    log({ level: 'INFO', message: 'job submitted', jobId });
    return response(202, { jobId, status: 'pending', statusUrl: `/jobs/${jobId}` });
  }

  async function getStatus(event: APIGatewayProxyEventV2) {
    const jobId = event.pathParameters?.jobId;
    if (!jobId) return response(400, { message: 'jobId is required' });
    const { Item } = await deps.db.getItem({ TableName: deps.tableName, Key: { jobId: { S: jobId } } });
    if (!Item) return response(404, { message: `job ${jobId} not found` });
    return response(200, publicView(Item));
  }

  return async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    // An HTTP API names the route (routeKey); a REST API gives the method and the resource path.
    const rest = event as unknown as { httpMethod?: string; resource?: string };
    const route = event.routeKey ?? `${rest.httpMethod} ${rest.resource}`;
    if (route === 'POST /jobs') return submit(event);
    if (route === 'GET /jobs/{jobId}') return getStatus(event);
    return response(404, { message: `no route ${route}` });
  };
}
