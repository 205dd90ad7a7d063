import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHandler, type Item, type JobTable, type Update } from '../src/worker/core';
import { FakeDocumentTable } from './fake-dynamodb';

/** The jobs table: the shared fake evaluates the ConditionExpression core.ts sends, as DynamoDB would. */
class FakeJobs implements JobTable {
  readonly table = new FakeDocumentTable('jobs', ['jobId']);
  /** The stored items by key, as the tests seed and read them. */
  readonly items = this.table.byKey;

  async update(jobId: string, u: Update): Promise<Item> {
    return this.table.update({ Key: { jobId }, ...u });
  }

  async get(jobId: string): Promise<Item | undefined> {
    return this.table.get({ Key: { jobId } });
  }
}

function setup(runJob: (jobId: string, input: Item) => Promise<unknown> = async (jobId, input) => ({ jobId, keys: Object.keys(input) })) {
  const jobs = new FakeJobs();
  jobs.items.set('job-1', { jobId: 'job-1', status: 'QUEUED', attempts: 0, input: '{"a":1}' });
  const runs: string[] = [];
  const handler = makeHandler({
    jobs,
    runJob: async (jobId, input) => {
      runs.push(jobId);
      return runJob(jobId, input);
    },
    maxAttempts: 3,
    leaseSeconds: 900,
    now: () => 10_000,
    log: () => {},
  });
  return { jobs, runs, handler };
}

test('runs a queued job and records the result', async () => {
  const { jobs, handler } = setup();

  assert.deepEqual(await handler({ jobId: 'job-1' }), { jobId: 'job-1', status: 'SUCCEEDED' });

  const job = jobs.items.get('job-1');
  assert.equal(job?.status, 'SUCCEEDED');
  assert.equal(job?.attempts, 1);
  assert.equal(job?.result, '{"jobId":"job-1","keys":["a"]}');
  assert.equal(job?.leaseUntil, undefined);
});

test('a duplicate delivery of a finished job is skipped', async () => {
  const { runs, handler } = setup();

  await handler({ jobId: 'job-1' });
  const again = await handler({ jobId: 'job-1' });

  assert.deepEqual(again, { jobId: 'job-1', skipped: true });
  assert.deepEqual(runs, ['job-1']);
});

test('a job running under a live lease is not run twice', async () => {
  const { jobs, runs, handler } = setup();
  jobs.items.set('job-1', { jobId: 'job-1', status: 'RUNNING', attempts: 1, leaseUntil: 10_500, input: '{}' });

  assert.deepEqual(await handler({ jobId: 'job-1' }), { jobId: 'job-1', skipped: true });
  assert.deepEqual(runs, []);
});

test('a RUNNING job whose lease expired (the attempt died) is run again', async () => {
  const { jobs, runs, handler } = setup();
  jobs.items.set('job-1', { jobId: 'job-1', status: 'RUNNING', attempts: 1, leaseUntil: 9_000, input: '{}' });

  await handler({ jobId: 'job-1' });

  assert.deepEqual(runs, ['job-1']);
  assert.equal(jobs.items.get('job-1')?.attempts, 2);
});

test('a failed attempt is re-thrown for Lambda to retry, and the job requeued', async () => {
  const { jobs, handler } = setup(async () => {
    throw new Error('upstream timeout');
  });

  await assert.rejects(handler({ jobId: 'job-1' }), /upstream timeout/);

  const job = jobs.items.get('job-1');
  assert.equal(job?.status, 'QUEUED');
  assert.equal(job?.attempts, 1);
  assert.equal(job?.error, 'Error: upstream timeout');
});

test('the last attempt marks the job FAILED', async () => {
  const { jobs, handler } = setup(async () => {
    throw new Error('still broken');
  });

  for (let attempt = 1; attempt <= 3; attempt++) {
    await assert.rejects(handler({ jobId: 'job-1' }));
  }

  assert.equal(jobs.items.get('job-1')?.status, 'FAILED');
  assert.equal(jobs.items.get('job-1')?.attempts, 3);
});

test('an unknown job is skipped', async () => {
  const { runs, handler } = setup();

  assert.deepEqual(await handler({ jobId: 'ghost' }), { jobId: 'ghost', skipped: true });
  assert.deepEqual(runs, []);
});
