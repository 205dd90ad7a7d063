import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Interrupted, {{#unless triggerRequest}}{{#unless triggerWebhook}}jobFromEnvironment, recordJob, {{/unless}}{{/unless}}runJob, type Deps } from '../container/core.js';
{{#if triggerEvent}}
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
{{/if}}
import { FakeDynamoDB } from './fake-dynamodb.js';

const TABLE = 'jobs';
const TASK_ARN = 'arn:aws:ecs:us-east-1:123456789012:task/test/abc';

function setup() {
  const db = new FakeDynamoDB({ [TABLE]: ['jobId'] });
  const run = (jobId: string, doWork: Deps['doWork'], shouldStop?: () => boolean) =>
    runJob({ db, tableName: TABLE, jobId, taskArn: TASK_ARN, doWork, shouldStop, log: () => {} });
  return { db, run };
}

const pending = (db: FakeDynamoDB, jobId: string, input: unknown) =>
  db.seed(TABLE, { jobId: { S: jobId }, status: { S: 'PENDING' }, input: { S: JSON.stringify(input) } });
const job = (db: FakeDynamoDB, jobId: string) => db.items(TABLE).find((i) => i.jobId.S === jobId);

/** The demo work of main.ts without the sleep: `steps` steps, stopping when asked. */
const steppedWork: Deps['doWork'] = async (input, reportProgress, shouldStop) => {
  const steps = Number(input.steps ?? 10);
  for (let i = 0; i < steps; i += 1) {
    if (shouldStop()) throw new Interrupted(`stopped after ${i} of ${steps} steps`);
    await reportProgress(Math.round(((i + 1) * 100) / steps));
  }
  return { steps };
};

test('runs the job, records progress and success', async () => {
  const { db, run } = setup();
  pending(db, 'j1', { steps: 4 });
  const progress: string[] = [];
  const code = await run('j1', async (input, reportProgress) => {
    for (const p of [25, 50, 75]) {
      await reportProgress(p);
      progress.push(job(db, 'j1')?.progress.N ?? '');
    }
    return { rows: input.steps };
  });
  assert.equal(code, 0);
  const j = job(db, 'j1');
  assert.equal(j?.status.S, 'SUCCEEDED');
  assert.deepEqual(JSON.parse(j?.result.S ?? ''), { rows: 4 });
  assert.equal(j?.progress.N, '100');
  assert.equal(j?.taskArn.S, TASK_ARN);
  assert.deepEqual(progress, ['25', '50', '75']);
});

test('a job that is not pending is not run again', async () => {
  const { db, run } = setup();
  db.seed(TABLE, { jobId: { S: 'j3' }, status: { S: 'SUCCEEDED' } });
  assert.equal(await run('j3', async () => assert.fail('must not run again')), 0);
  assert.equal(job(db, 'j3')?.status.S, 'SUCCEEDED');
});

test('an unknown job is not run', async () => {
  const { db, run } = setup();
  assert.equal(await run('nope', async () => assert.fail('must not run')), 0);
  assert.equal(db.items(TABLE).length, 0);
});

test('a failing job is recorded FAILED with exit code 1', async () => {
  const { db, run } = setup();
  pending(db, 'j4', {});
  assert.equal(await run('j4', async () => { throw new Error('corrupt input file'); }), 1);
  assert.equal(job(db, 'j4')?.status.S, 'FAILED');
  assert.match(job(db, 'j4')?.error.S ?? '', /corrupt input file/);
});

test('SIGTERM stops the work and the interruption is recorded', async () => {
  const { db, run } = setup();
  pending(db, 'j5', { steps: 10 });
  const checks = [false, false, true];
  assert.equal(await run('j5', steppedWork, () => checks.shift() ?? true), 1);
  const j = job(db, 'j5');
  assert.equal(j?.status.S, 'FAILED');
  assert.equal(j?.error.S, 'interrupted: stopped after 2 of 10 steps');
  assert.equal(j?.progress.N, '20');
});
{{#if triggerEvent}}

/** What ObjectCreatedRule's InputTransformer gives the container for an EventBridge 'Object Created' event. */
function environmentFor(event: { id: string; detail: { bucket: { name: string }; object: { key: string } } }) {
  return { JOB_ID: event.id, S3_BUCKET: event.detail.bucket.name, S3_KEY: event.detail.object.key };
}

test('an Object Created event records its job, and a redelivery runs nothing', async () => {
  const { db, run } = setup();
  // run from the project root (npm test): the sample event of events/
  const event = JSON.parse(readFileSync(join(process.cwd(), 'events', 'object-created.json'), 'utf8'));
  const { jobId, input } = jobFromEnvironment(environmentFor(event));
  assert.equal(jobId, event.id);
  assert.deepEqual(input, { bucket: event.detail.bucket.name, key: event.detail.object.key });
  const seen: unknown[] = [];
  assert.equal(await recordJob(db, TABLE, jobId, input), true);
  assert.equal(await run(jobId, async (given) => { seen.push(given); return { read: given.key }; }), 0);
  // EventBridge delivers the same event again: a second task finds the job recorded and taken
  assert.equal(await recordJob(db, TABLE, jobId, input), false);
  assert.equal(await run(jobId, async () => assert.fail('ran twice')), 0);
  assert.deepEqual(seen, [input]);
  assert.equal(job(db, jobId)?.status.S, 'SUCCEEDED');
  assert.deepEqual(JSON.parse(job(db, jobId)?.result.S ?? ''), { read: input.key });
});
{{/if}}
{{#if triggerSchedule}}

test('a scheduled run records a job named after its task and runs it once', async () => {
  const { db, run } = setup();
  const { jobId, input } = jobFromEnvironment({}, TASK_ARN);
  assert.deepEqual({ jobId, input }, { jobId: 'run-abc', input: {} });
  assert.equal(await recordJob(db, TABLE, jobId, input), true);
  assert.equal(await run(jobId, async () => ({ rows: 7 })), 0);
  assert.equal(await recordJob(db, TABLE, jobId, input), false);
  assert.equal(await run(jobId, async () => assert.fail('ran twice')), 0);
  assert.equal(job(db, jobId)?.status.S, 'SUCCEEDED');
});

test('a scheduled run outside ECS has no name', () => {
  assert.throws(() => jobFromEnvironment({}, undefined));
});
{{/if}}
{{#if senderSlackCommand}}

test("a slash command's outcome is posted to its response_url", async () => {
  const db = new FakeDynamoDB({ [TABLE]: ['jobId'] });
  const url = 'https://hooks.slack.com/commands/T1/1/abc';
  db.seed(TABLE, { jobId: { S: 'sc1' }, status: { S: 'PENDING' }, input: { S: '{}' }, responseUrl: { S: url } });
  const posted: Array<[string, unknown]> = [];
  const code = await runJob({ db, tableName: TABLE, jobId: 'sc1', taskArn: TASK_ARN, doWork: async () => ({ ok: 1 }), log: () => {},
    post: async (to, body) => { posted.push([to, body]); return 200; } });
  assert.equal(code, 0);
  assert.deepEqual(posted, [[url, { response_type: 'ephemeral', text: 'Job sc1 succeeded.' }]]);
});

test('a late answer that fails leaves the outcome recorded', async () => {
  const db = new FakeDynamoDB({ [TABLE]: ['jobId'] });
  db.seed(TABLE, { jobId: { S: 'sc2' }, status: { S: 'PENDING' }, input: { S: '{}' }, responseUrl: { S: 'https://hooks.slack.com/commands/T1/2/def' } });
  const code = await runJob({ db, tableName: TABLE, jobId: 'sc2', taskArn: TASK_ARN, log: () => {},
    doWork: async () => { throw new Error('bad report'); }, post: async () => 404 });
  assert.equal(code, 1);
  assert.equal(job(db, 'sc2')?.status.S, 'FAILED');
});
{{/if}}
