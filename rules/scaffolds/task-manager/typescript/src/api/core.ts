// Task API: POST /tasks writes {taskId, taskType, status: "CREATED", payload}; GET /tasks/{taskId} reads it.
// An Idempotency-Key header maps to a deterministic task id, so a retried request returns the same task.
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
  taskTtlDays: number;
  newId: () => string;
  now?: () => number;
  log?: (entry: Record<string, unknown>) => void;
}

const MAX_PAYLOAD_BYTES = 256 * 1024; // the whole item is capped at 400 KB
const TASK_TYPE = /^[a-z0-9][a-z0-9-]{0,63}$/;

function response(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A stable task id for an idempotency key (UUID-shaped, from SHA-256). */
export function taskIdForKey(taskType: string, key: string): string {
  const h = createHash('sha256').update(`task:${taskType}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function publicView(item: Item): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const k of ['taskId', 'taskType', 'status', 'createdAt', 'updatedAt', 'startedAt', 'completedAt', 'error']) {
    const v = item[k]?.S;
    if (v !== undefined) view[k] = v;
  }
  if (item.result?.S !== undefined) view.result = JSON.parse(item.result.S);
  // A result too big for the record: {bucket, key, bytes} in S3.
  if (item.resultLocation?.S !== undefined) view.resultLocation = JSON.parse(item.resultLocation.S);
  return view;
}

export function makeHandler(deps: Deps) {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));

  async function createTask(event: APIGatewayProxyEventV2) {
    let body: unknown;
    try {
      const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '';
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return response(400, { message: 'body must be JSON' });
    }
    const { taskType, payload = {} } = (typeof body === 'object' && body !== null ? body : {}) as { taskType?: unknown; payload?: unknown };
    if (typeof taskType !== 'string' || !TASK_TYPE.test(taskType)) {
      return response(400, { message: 'taskType must match [a-z0-9][a-z0-9-]{0,63}' });
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return response(400, { message: 'payload must be an object' });
    }
    const payloadJson = JSON.stringify(payload);
    if (Buffer.byteLength(payloadJson, 'utf8') > MAX_PAYLOAD_BYTES) {
      return response(413, { message: 'payload too large: put it in S3 and send the key' });
    }
    const key = event.headers?.['idempotency-key'];
    const taskId = key ? taskIdForKey(taskType, key) : deps.newId();
    const t = new Date(now()).toISOString();
    try {
      await deps.db.putItem({
        TableName: deps.tableName,
        Item: {
          taskId: { S: taskId }, taskType: { S: taskType }, status: { S: 'CREATED' }, payload: { S: payloadJson },
          createdAt: { S: t }, updatedAt: { S: t }, expiresAt: { N: String(Math.floor(now() / 1000) + deps.taskTtlDays * 86400) },
        },
        ConditionExpression: 'attribute_not_exists(taskId)',
      });
    } catch (err) {
      if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
      const { Item } = await deps.db.getItem({ TableName: deps.tableName, Key: { taskId: { S: taskId } }, ConsistentRead: true });
      return response(200, Item ? publicView(Item) : { taskId, taskType, status: 'CREATED' });
    }
    log({ level: 'INFO', message: 'task created', taskId, taskType });
    return response(202, { taskId, taskType, status: 'CREATED', statusUrl: `/tasks/${taskId}` });
  }

  async function getTask(event: APIGatewayProxyEventV2) {
    const taskId = event.pathParameters?.taskId;
    if (!taskId) return response(400, { message: 'taskId is required' });
    const { Item } = await deps.db.getItem({ TableName: deps.tableName, Key: { taskId: { S: taskId } } });
    if (!Item) return response(404, { message: `task ${taskId} not found` });
    return response(200, publicView(Item));
  }

  return async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    // An HTTP API names the route (routeKey); a REST API gives the method and the resource path.
    const rest = event as unknown as { httpMethod?: string; resource?: string };
    const route = event.routeKey ?? `${rest.httpMethod} ${rest.resource}`;
    if (route === 'POST /tasks') return createTask(event);
    if (route === 'GET /tasks/{taskId}') return getTask(event);
    return response(404, { message: `no route ${route}` });
  };
}
