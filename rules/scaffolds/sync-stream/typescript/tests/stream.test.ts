import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequest, makeStreamHandler, type Deadline, type Item, type Produce, type ResponseStream } from '../src/stream/core';

/** Stands in for Lambda's response stream: records every write, can refuse writes until 'drain'. */
class FakeStream implements ResponseStream {
  readonly writes: string[] = [];
  ended = false;
  destroyed = false;
  full = false;
  private listeners: Record<string, (() => void)[]> = {};

  write(chunk: string): boolean {
    assert.equal(this.ended, false, 'write after end');
    this.writes.push(chunk);
    return !this.full;
  }

  end(): void {
    this.ended = true;
  }

  once(event: 'drain' | 'close', listener: () => void): this {
    (this.listeners[event] ??= []).push(listener);
    return this;
  }

  emit(event: 'drain' | 'close'): void {
    const listeners = this.listeners[event] ?? [];
    this.listeners[event] = [];
    for (const listener of listeners) listener();
  }

  lines(): any[] {
    return this.writes.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  }
}

function setup(produce: Produce, options: { remainingMs?: number; validate?: (request: Item) => void } = {}) {
  const clock = { now: 1_000 };
  const logs: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const heads: { statusCode: number; headers: Record<string, string>; writesBefore: number }[] = [];
  const ticks: (() => void)[] = [];
  let stopped = 0;
  const stream = new FakeStream();
  const handler = makeStreamHandler({
    produce,
    validate: options.validate,
    httpResponseStream: {
      from(s, metadata) {
        heads.push({ ...metadata, writesBefore: (s as FakeStream).writes.length });
        return s;
      },
    },
    windowSeconds: 900,
    safetySeconds: 5,
    heartbeatSeconds: 20,
    clock: () => clock.now,
    every: (_ms, tick) => {
      ticks.push(tick);
      return () => void (stopped += 1);
    },
    log: (level, message, fields) => void logs.push({ level, message, fields }),
  });
  const context = { getRemainingTimeInMillis: () => options.remainingMs ?? 900_000, awsRequestId: 'req-1' };
  const call = (body: string) => handler({ body, isBase64Encoded: false }, stream, context);
  return { clock, logs, heads, ticks, stream, call, stopped: () => stopped };
}

test('writes each chunk the moment it is produced, not when the work is done', async () => {
  const seenByProducer: number[] = [];
  let s: FakeStream | undefined;
  const env = setup(async function* () {
    yield 'first';
    seenByProducer.push(s!.lines().length);
    yield 'second';
    seenByProducer.push(s!.lines().length);
  });
  s = env.stream;

  await env.call('{}');

  assert.deepEqual(seenByProducer, [1, 2], 'each chunk was on the stream before the producer went on');
  assert.deepEqual(env.stream.lines(), [
    { type: 'chunk', index: 0, data: 'first' },
    { type: 'chunk', index: 1, data: 'second' },
    { type: 'end', chunks: 2, bytes: env.stream.writes.slice(0, 2).join('').length },
  ]);
  assert.equal(env.stream.ended, true);
});

test('sends 200 and an NDJSON content type before the first chunk', async () => {
  const env = setup(async function* () {
    yield 1;
  });

  await env.call('{}');

  assert.equal(env.heads.length, 1);
  assert.equal(env.heads[0].statusCode, 200);
  assert.equal(env.heads[0].headers['Content-Type'], 'application/x-ndjson');
  assert.equal(env.heads[0].writesBefore, 0);
});

test('a request that fails validation gets a 400 and no stream', async () => {
  let produced = false;
  const env = setup(
    async function* () {
      produced = true;
      yield 1;
    },
    { validate: () => { throw new BadRequest('sections must be a list'); } },
  );

  await env.call('{"sections": 3}');

  assert.equal(env.heads[0].statusCode, 400);
  assert.deepEqual(JSON.parse(env.stream.writes.join('')), { error: 'sections must be a list' });
  assert.equal(produced, false);
  assert.equal(env.stream.ended, true);
});

test('a body that is not a JSON object is a 400', async () => {
  for (const body of ['not json', '[1]']) {
    const env = setup(async function* () {
      yield 1;
    });
    await env.call(body);
    assert.equal(env.heads[0].statusCode, 400, body);
  }
});

test('an error after the first chunk ends the stream with an error line, without internals', async () => {
  const env = setup(async function* () {
    yield 'ok';
    throw new Error('secret-internal-detail');
  });

  await env.call('{}');

  const lines = env.stream.lines();
  assert.deepEqual(lines.at(-1), { type: 'error', error: 'internal error', requestId: 'req-1', chunks: 1 });
  assert.ok(!env.stream.writes.join('').includes('secret-internal-detail'));
  assert.ok(!lines.some((line) => line.type === 'end'), 'no end line: the client knows the output is incomplete');
  assert.equal(env.stream.ended, true);
  assert.equal(env.stopped(), 1, 'the heartbeat is stopped');
});

test('work that runs out of time ends with an error line that says what to do', async () => {
  const budgets: number[] = [];
  const env = setup(async function* (_request: Item, deadline: Deadline) {
    budgets.push(deadline.remaining());
    yield 'part 1';
    env.clock.now += 300; // the next step took 5 min: past the 60 s - 5 s budget
    deadline.check('part 2');
    yield 'never';
  }, { remainingMs: 60_000 });

  await env.call('{}');

  assert.deepEqual(budgets, [55]);
  const last = env.stream.lines().at(-1);
  assert.equal(last.type, 'error');
  assert.match(last.hint, /asynchronously/);
  assert.ok(env.logs.some((l) => l.level === 'ERROR' && l.message === 'deadline exceeded'));
});

test('the budget never exceeds the streamed window', async () => {
  const budgets: number[] = [];
  const env = setup(async function* (_request: Item, deadline: Deadline) {
    budgets.push(deadline.remaining());
  }, { remainingMs: 3_600_000 });

  await env.call('{}');

  assert.deepEqual(budgets, [900 - 5]);
});

test('a heartbeat goes out while a slow step sends nothing, and not while chunks flow', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const env = setup(async function* () {
    yield 'before the slow step';
    await gate;
    yield 'after it';
  });

  const done = env.call('{}');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(env.ticks.length, 1);
  env.clock.now += 5;
  env.ticks[0]();
  assert.equal(env.stream.lines().filter((l) => l.type === 'heartbeat').length, 0, 'a chunk went out 5 s ago');
  env.clock.now += 20;
  env.ticks[0]();
  assert.deepEqual(env.stream.lines().at(-1), { type: 'heartbeat' });
  release();
  await done;

  assert.deepEqual(env.stream.lines().map((l) => l.type), ['chunk', 'heartbeat', 'chunk', 'end']);
});

test('waits for drain when the stream buffer is full', async () => {
  const resumed: number[] = [];
  const env = setup(async function* () {
    yield 'a';
    resumed.push(Date.now());
    yield 'b';
  });
  env.stream.full = true;

  const done = env.call('{}');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(resumed, [], 'the producer waits while the buffer is full');
  env.stream.full = false;
  env.stream.emit('drain');
  await done;

  assert.equal(resumed.length, 1);
  assert.deepEqual(env.stream.lines().map((l) => l.type), ['chunk', 'chunk', 'end']);
});

test('stops producing when the client disconnects', async () => {
  let produced = 0;
  const env = setup(async function* () {
    for (let i = 0; i < 100; i++) {
      produced += 1;
      yield i;
      if (i === 1) env.stream.emit('close');
    }
  });

  await env.call('{}');

  assert.equal(produced, 3);
  assert.deepEqual(env.stream.lines().map((l) => l.type), ['chunk', 'chunk']);
  assert.ok(env.logs.some((l) => l.level === 'WARN' && l.message === 'client disconnected; stopping'));
});

test('a stream near the 15 min window is logged as a warning', async () => {
  const env = setup(async function* () {
    env.clock.now += 750; // 12.5 min >= 80 % of 15 min
    yield 'late';
  });

  await env.call('{}');

  assert.ok(env.logs.some((l) => l.level === 'WARN' && l.message === 'near the streamed window'));
  assert.ok(!env.logs.some((l) => l.level === 'ERROR'));
});

test('app.ts wires the handler through the runtime global awslambda.streamifyResponse', async () => {
  const stream = new FakeStream();
  const heads: number[] = [];
  (globalThis as any).awslambda = {
    streamifyResponse: (handler: unknown) => ({ streamified: handler }),
    HttpResponseStream: {
      from(s: ResponseStream, metadata: { statusCode: number }) {
        heads.push(metadata.statusCode);
        return s;
      },
    },
  };
  const app = await import('../src/stream/app');
  const handler = (app.handler as any).streamified;
  assert.equal(typeof handler, 'function', 'the export is what streamifyResponse returned');

  await handler({ body: '{"sections": ["a", "b"]}' }, stream, { getRemainingTimeInMillis: () => 900_000, awsRequestId: 'r' });

  assert.deepEqual(heads, [200]);
  assert.deepEqual(stream.lines().map((l) => l.type), ['chunk', 'chunk', 'end']);
  assert.deepEqual(stream.lines()[0].data, { section: 'a', text: 'report section a' });
});
