// Checks the state machine definition: the retries, catches and idempotent write the pattern relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  Default?: string;
  Parameters?: Record<string, unknown>;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Choices?: { Next: string }[];
}

// `npm test` runs from the project root.
const definition = JSON.parse(readFileSync(join(process.cwd(), 'statemachine', 'workflow.asl.json'), 'utf8')) as {
  StartAt: string;
  TimeoutSeconds: number;
  States: Record<string, State>;
};
const states = definition.States;
const lambdaTasks = Object.entries(states).filter(([, s]) => s.Resource === 'arn:aws:states:::lambda:invoke');
const LAMBDA_TRANSIENT = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];

test('every transition points at a state', () => {
  const targets = new Set([definition.StartAt]);
  for (const s of Object.values(states)) {
    for (const t of [s.Next, s.Default, ...(s.Catch ?? []).map((c) => c.Next), ...(s.Choices ?? []).map((c) => c.Next)]) {
      if (t) targets.add(t);
    }
  }
  for (const t of targets) assert.ok(t in states, `${t} is not a state`);
});

test('two or three Lambda steps, each retrying transient errors and catching the rest', () => {
  assert.ok(lambdaTasks.length >= 2 && lambdaTasks.length <= 3);
  for (const [name, s] of lambdaTasks) {
    const retried = new Set((s.Retry ?? []).flatMap((r) => r.ErrorEquals));
    for (const e of LAMBDA_TRANSIENT) assert.ok(retried.has(e), `${name} does not retry ${e}`);
    assert.ok((s.Catch ?? []).some((c) => c.ErrorEquals.includes('States.ALL')), `${name} has no catch-all`);
    // ... into RecordFailure, so a failed request is recorded FAILED, never reported as a success.
    assert.equal((s.Catch ?? []).find((c) => c.ErrorEquals.includes('States.ALL'))?.Next, 'RecordFailure', `${name} catches into another state`);
  }
});

test('a validation error is recorded as a rejection, without retry', () => {
  const validate = states.Validate;
  assert.ok(!(validate.Retry ?? []).some((r) => r.ErrorEquals.includes('ValidationError')));
  assert.equal(validate.Catch?.find((c) => c.ErrorEquals.includes('ValidationError'))?.Next, 'RecordRejection');
});

test('the result is written once and a duplicate execution still succeeds', () => {
  const save = states.SaveResult;
  assert.equal(save.Parameters?.ConditionExpression, 'attribute_not_exists(requestId)');
  const duplicate = save.Catch?.find((c) => c.ErrorEquals.includes('DynamoDB.ConditionalCheckFailedException'));
  assert.equal(states[String(duplicate?.Next)].Type, 'Succeed');
});

for (const [state, status] of [['SaveResult', 'SUCCEEDED'], ['RecordRejection', 'REJECTED'], ['RecordFailure', 'FAILED']]) {
  test(`${state} records status ${status} once`, () => {
    const write = states[state].Parameters as { Item: Record<string, unknown>; ConditionExpression: string };
    assert.deepEqual(write.Item.status, { S: status });
    assert.equal(write.ConditionExpression, 'attribute_not_exists(requestId)');
  });
}

test('nothing Express cannot run', () => {
  for (const s of Object.values(states)) {
    assert.ok(!/\.(sync|waitForTaskToken)$/.test(s.Resource ?? ''), `${s.Resource} is not supported by Express`);
  }
  assert.ok(definition.TimeoutSeconds <= 300);
});
