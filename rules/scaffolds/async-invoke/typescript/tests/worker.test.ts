import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHandler, type Item, type JobTable, type Update } from '../src/worker/core';

/** An in-memory jobs table; the claim condition mirrors the ConditionExpression core.ts sends. */
class FakeJobs implements JobTable {
  items = new Map<string, Item>();

  async update(jobId: string, u: Update): Promise<Item> {
    const values = u.ExpressionAttributeValues ?? {};
    const job: Item = { ...(this.items.get(jobId) ?? { jobId }) };
    if (u.ConditionExpression) {
      const claimable = job.status === 'QUEUED' || (job.status === 'RUNNING' && Number(job.leaseUntil) < Number(values[':now']));
      if (!claimable) {
        const err = new Error('The conditional request failed');
        err.name = 'ConditionalCheckFailedException';
        throw err;
      }
      Object.assign(job, { status: 'RUNNING', leaseUntil: values[':lease'], startedAt: values[':now'], attempts: Number(job.attempts ?? 0) + 1 });
    } else {
      job.status = values[':succeeded'] ?? values[':status'];
      if (values[':result'] !== undefined) job.result = values[':result'];
      if (values[':error'] !== undefined) job.error = values[':error'];
      else delete job.error;
      delete job.leaseUntil;
    }
    this.items.set(jobId, job);
    return job;
  }

  async get(jobId: string): Promise<Item | undefined> {
    return this.items.get(jobId);
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
