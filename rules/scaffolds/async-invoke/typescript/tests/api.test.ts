import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { makeHandler, type Item, type JobTable } from '../src/api/core';

class FakeJobs implements JobTable {
  items = new Map<string, Item>();

  async putNew(item: Item): Promise<void> {
    const jobId = String(item.jobId);
    if (this.items.has(jobId)) {
      const err = new Error('The conditional request failed');
      err.name = 'ConditionalCheckFailedException';
      throw err;
    }
    this.items.set(jobId, { ...item });
  }

  async get(jobId: string): Promise<Item | undefined> {
    return this.items.get(jobId);
  }

  async delete(jobId: string): Promise<void> {
    this.items.delete(jobId);
  }
}

function setup(invokeAsync: (payload: string) => Promise<void> = async () => {}) {
  const jobs = new FakeJobs();
  const invoked: Item[] = [];
  const handler = makeHandler({
    jobs,
    worker: {
      invokeAsync: async (payload) => {
        invoked.push(JSON.parse(payload));
        await invokeAsync(payload);
      },
    },
    validateJob: (input) => input,
    newId: () => 'generated-id',
    keepJobSeconds: 100,
    now: () => 1_000,
    log: () => {},
  });
  return { jobs, invoked, handler };
}

function post(body: string, key?: string): APIGatewayProxyEvent {
  return { httpMethod: 'POST', headers: key ? { 'Idempotency-Key': key } : {}, body, isBase64Encoded: false } as unknown as APIGatewayProxyEvent;
}

function get(jobId: string): APIGatewayProxyEvent {
  return { httpMethod: 'GET', pathParameters: { jobId }, headers: {}, body: null } as unknown as APIGatewayProxyEvent;
}

test('records the job, invokes the worker asynchronously and answers 202', async () => {
  const { jobs, invoked, handler } = setup();

  const result = await handler(post('{"report": "q2"}', 'job-1'));

  assert.equal(result.statusCode, 202);
  assert.equal(result.headers?.Location, '/jobs/job-1');
  assert.deepEqual(JSON.parse(result.body), { jobId: 'job-1', status: 'QUEUED' });
  assert.deepEqual(invoked, [{ jobId: 'job-1' }]);
  assert.deepEqual(jobs.items.get('job-1'), {
    jobId: 'job-1', status: 'QUEUED', input: '{"report":"q2"}', attempts: 0, createdAt: 1_000, expiresAt: 1_100,
  });
});

test('the same Idempotency-Key starts the job once', async () => {
  const { invoked, handler } = setup();

  await handler(post('{}', 'job-1'));
  const again = await handler(post('{}', 'job-1'));

  assert.equal(again.statusCode, 202);
  assert.equal(JSON.parse(again.body).jobId, 'job-1');
  assert.equal(invoked.length, 1);
});

test('without a key the job gets a new id', async () => {
  const { handler } = setup();

  const result = await handler(post('{}'));

  assert.equal(JSON.parse(result.body).jobId, 'generated-id');
});

test('a failed invoke answers 503 and forgets the job so a retry can start it', async () => {
  let fail = true;
  const { jobs, invoked, handler } = setup(async () => {
    if (fail) throw new Error('TooManyRequestsException');
  });

  const first = await handler(post('{}', 'job-1'));
  assert.equal(first.statusCode, 503);
  assert.equal(jobs.items.has('job-1'), false);

  fail = false;
  const retry = await handler(post('{}', 'job-1'));
  assert.equal(retry.statusCode, 202);
  assert.equal(invoked.length, 2);
});

test('rejects a body that is not a JSON object', async () => {
  const { invoked, handler } = setup();

  assert.equal((await handler(post('not json'))).statusCode, 400);
  assert.equal((await handler(post('[]'))).statusCode, 400);
  assert.equal(invoked.length, 0);
});

test('GET answers the status and result of a job, 404 for an unknown one', async () => {
  const { jobs, handler } = setup();
  jobs.items.set('job-9', { jobId: 'job-9', status: 'SUCCEEDED', attempts: 2, result: '{"rows":3}' });

  const found = await handler(get('job-9'));
  const missing = await handler(get('nope'));

  assert.equal(found.statusCode, 200);
  assert.deepEqual(JSON.parse(found.body), { jobId: 'job-9', status: 'SUCCEEDED', attempts: 2, result: { rows: 3 } });
  assert.equal(missing.statusCode, 404);
});
