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
{{#if triggerEvent}}

  async put(item: Item, conditionExpression: string): Promise<void> {
    await this.table.put({ Item: item, ConditionExpression: conditionExpression });
  }
{{/if}}
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

{{#unless triggerEvent}}
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
{{/unless}}
{{#if triggerEvent}}
/** What S3 sends for one object created (the key URL-encoded: "+" is a space). */
function s3Event(key = 'exports/orders+2024-06.csv', sequencer = '0A1B2C3D4E5F678901', eventName = 'ObjectCreated:Put') {
  return {
    Records: [{
      eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1', eventName,
      s3: { s3SchemaVersion: '1.0', bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' }, object: { key, size: 42, eTag: 'abc', sequencer } },
    }],
  };
}

/** The same object as an EventBridge "Object Created" event (the bucket's EventBridge switch). */
function eventBridgeEvent(key = 'exports/orders 2024-06.csv', sequencer = '0A1B2C3D4E5F678901') {
  return {
    version: '0', id: 'c9888434', 'detail-type': 'Object Created', source: 'aws.s3',
    detail: { version: '0', bucket: { name: 'uploads' }, object: { key, size: 42, etag: 'abc', sequencer } },
  };
}

const JOB_ID = 'uploads/exports/orders 2024-06.csv#0A1B2C3D4E5F678901';

test('an S3 record is recorded as a job and run with the object', async () => {
  const seen: [string, Item][] = [];
  const { jobs, handler } = setup(async (jobId, input) => {
    seen.push([jobId, input]);
    return { rows: 3 };
  });

  assert.deepEqual(await handler(s3Event()), { jobs: [{ jobId: JOB_ID, status: 'SUCCEEDED' }] });

  assert.deepEqual(seen, [[JOB_ID, { bucket: 'uploads', key: 'exports/orders 2024-06.csv', size: 42 }]]);
  const job = jobs.items.get(JOB_ID);
  assert.equal(job?.status, 'SUCCEEDED');
  assert.equal(job?.attempts, 1);
  assert.equal(job?.result, '{"rows":3}');
  assert.ok(Number(job?.expiresAt) > 10_000);
});

test('an EventBridge Object Created event is the same job', async () => {
  const { runs, handler } = setup();

  await handler(eventBridgeEvent());
  const again = await handler(s3Event());

  assert.deepEqual(runs, [JOB_ID]);
  assert.deepEqual(again, { jobs: [{ jobId: JOB_ID, skipped: true }] });
});

test('a redelivered S3 event starts nothing new; the object uploaded again is a new job', async () => {
  const { jobs, runs, handler } = setup();

  await handler(s3Event());
  await handler(s3Event());
  await handler(s3Event('exports/orders+2024-06.csv', '0A1B2C3D4E5F678999'));

  assert.deepEqual(runs, [JOB_ID, 'uploads/exports/orders 2024-06.csv#0A1B2C3D4E5F678999']);
  assert.equal(jobs.items.get(JOB_ID)?.attempts, 1);
});

test('a failed S3 job is re-thrown for the retry, which runs it again', async () => {
  let calls = 0;
  const { jobs, handler } = setup(async () => {
    calls += 1;
    if (calls === 1) throw new Error('upstream timeout');
    return { ok: true };
  });

  await assert.rejects(handler(s3Event()), /upstream timeout/);
  assert.equal(jobs.items.get(JOB_ID)?.status, 'QUEUED');

  assert.deepEqual(await handler(s3Event()), { jobs: [{ jobId: JOB_ID, status: 'SUCCEEDED' }] });
  assert.equal(jobs.items.get(JOB_ID)?.attempts, 2);
});

test('the last attempt of an S3 job marks it FAILED', async () => {
  const { jobs, handler } = setup(async () => {
    throw new Error('still broken');
  });

  for (let attempt = 1; attempt <= 3; attempt++) {
    await assert.rejects(handler(s3Event()));
  }

  assert.equal(jobs.items.get(JOB_ID)?.status, 'FAILED');
});

test("S3's s3:TestEvent or another event type starts no job", async () => {
  const { jobs, runs, handler } = setup();
  const testEvent = { Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2024-06-01T12:00:00.000Z', Bucket: 'uploads' };

  assert.deepEqual(await handler(testEvent as never), { jobs: [] });
  assert.deepEqual(await handler(s3Event('a.csv', '01', 'ObjectRemoved:Delete')), { jobs: [] });
  assert.deepEqual(runs, []);
  assert.equal(jobs.table.items().length, 1); // only setup's job-1
});
{{/if}}
