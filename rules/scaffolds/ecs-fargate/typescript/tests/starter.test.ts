import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { RunTaskCommandInput } from '@aws-sdk/client-ecs';
import { jobIdForKey, makeHandler, type Ecs } from '../src/starter/core.js';
import { FakeDynamoDB } from './fake-dynamodb.js';
{{#if webhook}}
import { samplePayload, signedEvent, usesTimestamp, type SenderName } from './webhook-signing.js';

const SECRET = 'test-signing-secret';
const SENDER: SenderName = '{{sender}}';
{{/if}}

const TABLE = 'jobs';
const TASK_ARN = 'arn:aws:ecs:us-east-1:123456789012:task/test/0123456789abcdef0123456789abcdef';

function setup(runTask: Ecs['runTask'] = async () => ({ tasks: [{ taskArn: TASK_ARN }], failures: [] })) {
  const db = new FakeDynamoDB({ [TABLE]: ['jobId'] });
  const calls: RunTaskCommandInput[] = [];
  const handler = makeHandler({
    db,
    ecs: { runTask: async (input) => { calls.push(input); return runTask(input); } },
    tableName: TABLE,
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/test',
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/test-worker:3',
    containerName: 'worker',
    subnetIds: ['subnet-0aaa', 'subnet-0bbb'],
    securityGroupId: 'sg-0123',
    assignPublicIp: 'ENABLED',
    jobTtlDays: 30,
    newId: () => 'new-id',
{{#if webhook}}
    sender: SENDER,
    signingSecret: SECRET,
{{/if}}
    log: () => {},
  });
  return { db, calls, handler };
}

function httpEvent(routeKey: string, body?: unknown, headers: Record<string, string> = {}, pathParameters?: Record<string, string>) {
  return {
    version: '2.0', routeKey, rawPath: '/', rawQueryString: '', headers, pathParameters,
    body: body === undefined ? undefined : JSON.stringify(body), isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

const job = (db: FakeDynamoDB, jobId: string) => db.items(TABLE).find((i) => i.jobId.S === jobId);

{{#if webhook}}
/** A delivery signed as the sender signs it, through the HTTP API's POST /webhook route. */
function delivery(deliveryId: string, secret = SECRET, options: { nowSeconds?: number; unsigned?: boolean } = {}) {
  return { ...signedEvent(SENDER, samplePayload(SENDER, deliveryId), secret, { deliveryId, ...options }), routeKey: 'POST /webhook' } as unknown as APIGatewayProxyEventV2;
}

test('a signed delivery starts one task named by its delivery id', async () => {
  const { db, calls, handler } = setup();
  const jobId = jobIdForKey(`${SENDER}:d-1`);
  const res = await handler(delivery('d-1'));

  assert.equal(res.statusCode, 200);
  assert.equal(JSON.parse(res.body ?? '').jobId, jobId);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].clientToken, jobId);
  assert.deepEqual(calls[0].overrides, { containerOverrides: [{ name: 'worker', environment: [{ name: 'JOB_ID', value: jobId }] }] });
  assert.equal(job(db, jobId)?.status.S, 'PENDING');
  assert.equal(job(db, jobId)?.deliveryId.S, 'd-1');
  assert.deepEqual(JSON.parse(job(db, jobId)?.input.S ?? ''), samplePayload(SENDER, 'd-1'));
{{#if senderSlackCommand}}
  assert.equal(JSON.parse(res.body ?? '').response_type, 'ephemeral'); // the slash command's receipt, at once
  assert.equal(job(db, jobId)?.responseUrl.S, samplePayload(SENDER, 'd-1').response_url); // the late answer's URL
{{/if}}
});

test('a redelivery starts no second task', async () => {
  const { db, calls, handler } = setup();
  const first = await handler(delivery('d-2'));
  const again = await handler(delivery('d-2'));
  assert.deepEqual([first.statusCode, again.statusCode], [200, 200]);
  assert.equal(calls.length, 1);
  assert.equal(db.items(TABLE).length, 1);
});

for (const change of ['wrong secret', 'missing', 'stale'] as const) {
  test(`an unsigned, wrong or stale delivery (${change}) is 401 and starts nothing`, async (t) => {
    if (change === 'stale' && !usesTimestamp(SENDER)) { t.skip('this sender signs no timestamp'); return; }
    const { db, calls, handler } = setup();
    const event = change === 'wrong secret' ? delivery('d-3', 'another-secret')
      : change === 'missing' ? delivery('d-3', SECRET, { unsigned: true }) : delivery('d-3', SECRET, { nowSeconds: 1_000_000_000 });
    assert.equal((await handler(event)).statusCode, 401);
    assert.equal(calls.length, 0);
    assert.equal(db.items(TABLE).length, 0);
  });
}

test('RunTask failures answer 503 so the sender retries, and forget the job', async () => {
  const { db, handler } = setup(async () => ({ tasks: [], failures: [{ reason: 'RESOURCE:ENI' }] }));
  assert.equal((await handler(delivery('d-4'))).statusCode, 503);
  assert.equal(db.items(TABLE).length, 0);
});
{{#if senderSlackEvents}}

test("Slack's url_verification is answered with its challenge and starts nothing", async () => {
  const { db, calls, handler } = setup();
  const event = { ...signedEvent(SENDER, { type: 'url_verification', challenge: 'c-42' }, SECRET), routeKey: 'POST /webhook' } as unknown as APIGatewayProxyEventV2;
  const res = await handler(event);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(JSON.parse(res.body ?? ''), { challenge: 'c-42' });
  assert.equal(calls.length + db.items(TABLE).length, 0);
});
{{/if}}
{{else}}
test('start runs a Fargate task with the job id and returns its ARN', async () => {
  const { db, calls, handler } = setup();
  const jobId = jobIdForKey('export-1');
  const res = await handler(httpEvent('POST /jobs', { input: { steps: 3 } }, { 'idempotency-key': 'export-1' }));

  assert.equal(res.statusCode, 202);
  assert.deepEqual(JSON.parse(res.body ?? ''), { jobId, status: 'PENDING', taskArn: TASK_ARN, statusUrl: `/jobs/${jobId}` });
  assert.deepEqual(calls, [{
    cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/test',
    taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/test-worker:3',
    launchType: 'FARGATE',
    count: 1,
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0aaa', 'subnet-0bbb'], securityGroups: ['sg-0123'], assignPublicIp: 'ENABLED' } },
    overrides: { containerOverrides: [{ name: 'worker', environment: [{ name: 'JOB_ID', value: jobId }] }] },
    startedBy: jobId,
    clientToken: jobId,
  }]);
  assert.equal(job(db, jobId)?.status.S, 'PENDING');
  assert.equal(job(db, jobId)?.taskArn.S, TASK_ARN);
  assert.deepEqual(JSON.parse(job(db, jobId)?.input.S ?? ''), { steps: 3 });
});

test('a retried request returns the same job without a second task', async () => {
  const { calls, handler } = setup();
  const headers = { 'idempotency-key': 'export-2' };
  const first = await handler(httpEvent('POST /jobs', { input: {} }, headers));
  const again = await handler(httpEvent('POST /jobs', { input: {} }, headers));
  assert.deepEqual([first.statusCode, again.statusCode], [202, 200]);
  assert.equal(calls.length, 1);
  assert.equal(JSON.parse(again.body ?? '').taskArn, TASK_ARN);
});

test('RunTask failures answer 503 and forget the job', async () => {
  const { db, handler } = setup(async () => ({ tasks: [], failures: [{ reason: 'RESOURCE:ENI' }] }));
  const res = await handler(httpEvent('POST /jobs', { input: {} }, { 'idempotency-key': 'export-3' }));
  assert.equal(res.statusCode, 503);
  assert.match(res.body ?? '', /RESOURCE:ENI/);
  assert.equal(db.items(TABLE).length, 0);
});

test('RunTask errors answer 503, and the retry with the same key starts the task', async () => {
  let fail = true;
  const { calls, handler } = setup(async () => {
    if (fail) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    return { tasks: [{ taskArn: TASK_ARN }] };
  });
  const headers = { 'idempotency-key': 'export-4' };
  assert.equal((await handler(httpEvent('POST /jobs', { input: {} }, headers))).statusCode, 503);
  fail = false;
  assert.equal((await handler(httpEvent('POST /jobs', { input: {} }, headers))).statusCode, 202);
  assert.deepEqual(calls.map((c) => c.clientToken), [jobIdForKey('export-4'), jobIdForKey('export-4')]);
});

test('start rejects a body that is not an input object', async () => {
  const { calls, handler } = setup();
  assert.equal((await handler(httpEvent('POST /jobs', { input: [1, 2] }))).statusCode, 400);
  assert.equal(calls.length, 0);
});

{{/if}}

test('get returns the status the container recorded', async () => {
  const { db, handler } = setup();
  db.seed(TABLE, { jobId: { S: 'j1' }, status: { S: 'SUCCEEDED' }, progress: { N: '100' }, taskArn: { S: TASK_ARN }, result: { S: '{"steps":3}' }, input: { S: '{}' } });
  const res = await handler(httpEvent('GET /jobs/{jobId}', undefined, {}, { jobId: 'j1' }));
  assert.deepEqual(JSON.parse(res.body ?? ''), { jobId: 'j1', status: 'SUCCEEDED', progress: 100, taskArn: TASK_ARN, result: { steps: 3 } });
  assert.equal((await handler(httpEvent('GET /jobs/{jobId}', undefined, {}, { jobId: 'x' }))).statusCode, 404);
});
