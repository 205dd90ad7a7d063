{{#if webhook}}
// Webhook front door: POST /webhook checks the sender's signature ({{sender}}, WEBHOOK_SENDER) on the raw body
// (401 when it is missing, wrong or stale), records the delivery as a job (PENDING) and calls ecs:RunTask with
// JOB_ID in the container's environment. The delivery id names the job (jobId and RunTask's clientToken), so a
// redelivery finds its job and starts no second task. The sender is answered 200 at once (Slack's
// url_verification with its challenge; a slash command with a receipt, its outcome goes to response_url).
// GET /jobs/{jobId} (SigV4, your own callers) returns what the container recorded.
{{else}}
// Job API: POST /jobs records the job (PENDING) and calls ecs:RunTask with JOB_ID in the container's
// environment, answering 202 {jobId, taskArn}. The Idempotency-Key header (or a new id) is also RunTask's
// clientToken, so a retry never starts a second task. GET /jobs/{jobId} returns what the container recorded.
{{/if}}
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type {
  AttributeValue,
  DeleteItemCommandInput,
  GetItemCommandInput,
  PutItemCommandInput,
  UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { RunTaskCommandInput } from '@aws-sdk/client-ecs';
import { createHash } from 'node:crypto';
{{#if webhook}}
import { acknowledgement, Rejected, verify, type Delivery, type Sender } from './webhook-auth.js';
{{/if}}

type Item = Record<string, AttributeValue>;

export interface Db {
  putItem(input: PutItemCommandInput): Promise<unknown>;
  getItem(input: GetItemCommandInput): Promise<{ Item?: Item }>;
  updateItem(input: UpdateItemCommandInput): Promise<unknown>;
  deleteItem(input: DeleteItemCommandInput): Promise<unknown>;
}

export interface Ecs {
  runTask(input: RunTaskCommandInput): Promise<{ tasks?: Array<{ taskArn?: string }>; failures?: Array<{ arn?: string; reason?: string; detail?: string }> }>;
}

export interface Deps {
  db: Db;
  ecs: Ecs;
  tableName: string;
  clusterArn: string;
  taskDefinitionArn: string;
  containerName: string;
  subnetIds: string[];
  securityGroupId: string;
  assignPublicIp: 'ENABLED' | 'DISABLED';
  jobTtlDays: number;
  newId: () => string;
{{#if webhook}}
  /** The webhook sender ({{sender}}) and its signing secret: every request's signature is checked. */
  sender: Sender;
  signingSecret: string;
  /** generic only: the header that carries HMAC-SHA256(secret, body) in hex. */
  signatureHeader?: string;
{{/if}}
  now?: () => number;
  log?: (entry: Record<string, unknown>) => void;
}

const MAX_INPUT_BYTES = 256 * 1024; // stored on the job record (400 KB item limit); the task reads it from there

function response(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A stable job id for an idempotency key (UUID-shaped, from SHA-256; at most 64 characters for clientToken). */
export function jobIdForKey(key: string): string {
  const h = createHash('sha256').update(`job:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function publicView(item: Item): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const k of ['jobId', 'status', 'taskArn', 'createdAt', 'startedAt', 'completedAt', 'error']) {
    const v = item[k]?.S;
    if (v !== undefined) view[k] = v;
  }
  if (item.progress?.N !== undefined) view.progress = Number(item.progress.N);
  if (item.result?.S !== undefined) view.result = JSON.parse(item.result.S);
  return view;
}

/** The RunTask request for one job: Fargate, awsvpc in the given subnets, JOB_ID for the container. */
export function runTaskInput(deps: Deps, jobId: string): RunTaskCommandInput {
  return {
    cluster: deps.clusterArn,
    taskDefinition: deps.taskDefinitionArn,
    launchType: 'FARGATE',
    count: 1,
    networkConfiguration: {
      awsvpcConfiguration: { subnets: deps.subnetIds, securityGroups: [deps.securityGroupId], assignPublicIp: deps.assignPublicIp },
    },
    overrides: { containerOverrides: [{ name: deps.containerName, environment: [{ name: 'JOB_ID', value: jobId }] }] },
    startedBy: jobId, // lets the watcher map a stopped task back to its job
    clientToken: jobId, // RunTask is idempotent per token: a retry does not start a second task
  };
}

export function makeHandler(deps: Deps) {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((entry: Record<string, unknown>) => console.log(JSON.stringify(entry)));

  async function startJob(event: APIGatewayProxyEventV2) {
{{#if webhook}}
    let delivery: Delivery;
    try {
      delivery = verify(event, deps.sender, deps.signingSecret, { nowSeconds: now() / 1000, header: deps.signatureHeader });
    } catch (err) {
      if (!(err instanceof Rejected)) throw err;
      log({ level: 'WARN', message: 'webhook rejected', sender: deps.sender, status: err.status, reason: err.message });
      return response(err.status, { error: err.message });
    }
    if (delivery.challenge !== undefined) return response(200, acknowledgement(delivery)); // url_verification: no job
    const inputJson = JSON.stringify(delivery.payload);
    if (Buffer.byteLength(inputJson, 'utf8') > MAX_INPUT_BYTES) {
      return response(413, { error: 'delivery too large for the job record' });
    }
    // The sender's delivery id names the job: a redelivery (senders retry a slow or lost answer) is this job.
    const jobId = jobIdForKey(`${deps.sender}:${delivery.id}`);
    const extra: Item = { deliveryId: { S: String(delivery.id) } };
    if (delivery.responseUrl) extra.responseUrl = { S: delivery.responseUrl }; // a slash command's late answer
{{else}}
    let body: unknown;
    try {
      const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '';
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return response(400, { message: 'body must be JSON' });
    }
    const input = (typeof body === 'object' && body !== null ? (body as { input?: unknown }).input : undefined) ?? {};
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return response(400, { message: 'body must be {"input": {...}}' });
    }
    const inputJson = JSON.stringify(input);
    if (Buffer.byteLength(inputJson, 'utf8') > MAX_INPUT_BYTES) {
      return response(413, { message: 'input too large: put it in S3 and send the key' });
    }
    const key = event.headers?.['idempotency-key'];
    const jobId = key ? jobIdForKey(key) : deps.newId();
    const extra: Item = {};
{{/if}}
    const t = new Date(now()).toISOString();
    try {
      await deps.db.putItem({
        TableName: deps.tableName,
        Item: {
          jobId: { S: jobId }, status: { S: 'PENDING' }, input: { S: inputJson }, createdAt: { S: t }, updatedAt: { S: t },
          expiresAt: { N: String(Math.floor(now() / 1000) + deps.jobTtlDays * 86400) }, ...extra,
        },
        ConditionExpression: 'attribute_not_exists(jobId)',
      });
    } catch (err) {
      if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
      const { Item } = await deps.db.getItem({ TableName: deps.tableName, Key: { jobId: { S: jobId } }, ConsistentRead: true });
{{#if webhook}}
      if (Item?.taskArn?.S) {
        log({ level: 'INFO', message: 'redelivery of a started job; nothing new', jobId, deliveryId: delivery.id });
        return response(200, { ...acknowledgement(delivery), jobId });
      }
{{else}}
      if (Item?.taskArn?.S) return response(200, publicView(Item));
{{/if}}
      // recorded but no task yet (an earlier attempt failed mid-way): start it now; the token dedupes
    }

    let failures: Array<{ arn?: string; reason?: string; detail?: string }>;
    let taskArn: string | undefined;
    try {
      const res = await deps.ecs.runTask(runTaskInput(deps, jobId));
      taskArn = res.tasks?.[0]?.taskArn;
      failures = res.failures?.length ? res.failures : taskArn ? [] : [{ reason: 'no task returned' }];
    } catch (err) {
      failures = [{ reason: String(err) }];
    }
    if (failures.length || !taskArn) {
      // forget the job so that a retry (with the same Idempotency-Key) starts cleanly
      await deps.db.deleteItem({ TableName: deps.tableName, Key: { jobId: { S: jobId } }, ConditionExpression: 'attribute_not_exists(taskArn)' });
      log({ level: 'ERROR', message: 'RunTask failed', jobId, failures });
      return response(503, { message: 'could not start the task; retry later', failures });
    }
    await deps.db.updateItem({
      TableName: deps.tableName,
      Key: { jobId: { S: jobId } },
      UpdateExpression: 'SET taskArn = :arn',
      ExpressionAttributeValues: { ':arn': { S: taskArn } },
    });
    log({ level: 'INFO', message: 'task started', jobId, taskArn });
{{#if webhook}}
    return response(200, { ...acknowledgement(delivery), jobId });
{{else}}
    return response(202, { jobId, status: 'PENDING', taskArn, statusUrl: `/jobs/${jobId}` });
{{/if}}
  }

  async function getJob(event: APIGatewayProxyEventV2) {
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
    if (route === '{{#if webhook}}POST /webhook{{else}}POST /jobs{{/if}}') return startJob(event);
    if (route === 'GET /jobs/{jobId}') return getJob(event);
    return response(404, { message: `no route ${route}` });
  };
}
