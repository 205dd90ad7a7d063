// Checks the state machine definition: the callback step, the wait, and where failures go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  Default?: string;
  TimeoutSeconds?: number;
  TimestampPath?: string;
  Parameters?: { Payload?: Record<string, unknown> };
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Choices?: { Variable: string; Next: string }[];
}

// `npm test` runs from the project root.
const definition = JSON.parse(readFileSync(join(process.cwd(), 'statemachine', 'workflow.asl.json'), 'utf8')) as {
  StartAt: string;
  States: Record<string, State>;
};
const states = definition.States;

test('every transition points at a state', () => {
  const targets = new Set([definition.StartAt]);
  for (const s of Object.values(states)) {
    for (const t of [s.Next, s.Default, ...(s.Catch ?? []).map((c) => c.Next), ...(s.Choices ?? []).map((c) => c.Next)]) {
      if (t) targets.add(t);
    }
  }
  for (const t of targets) assert.ok(t in states, `${t} is not a state`);
});

test('the approval step waits for a task token, with a timeout', () => {
  const step = states.RequestApproval;
  assert.equal(step.Resource, 'arn:aws:states:::lambda:invoke.waitForTaskToken');
  assert.equal(step.Parameters?.Payload?.['taskToken.$'], '$$.Task.Token');
  assert.ok((step.TimeoutSeconds ?? 0) > 0 && (step.TimeoutSeconds ?? 0) <= 365 * 24 * 3600);
  assert.equal(step.Catch?.find((c) => c.ErrorEquals.includes('ApprovalRejected'))?.Next, 'Rejected');
});

test('an approval with a start time waits for it, otherwise the work starts now', () => {
  const choice = states[String(states.RequestApproval.Next)];
  assert.equal(choice.Type, 'Choice');
  const [rule] = choice.Choices ?? [];
  assert.equal(rule.Variable, '$.approval.notBefore');
  const wait = states[rule.Next];
  assert.equal(wait.Type, 'Wait');
  assert.equal(wait.TimestampPath, '$.approval.notBefore');
  assert.equal(wait.Next, 'Execute');
  assert.equal(choice.Default, 'Execute');
});

test('every task but the failure handler catches everything into it', () => {
  for (const [name, s] of Object.entries(states)) {
    if (s.Type !== 'Task' || name === 'HandleFailure') continue;
    assert.ok(s.Catch?.some((c) => c.ErrorEquals.includes('States.ALL') && c.Next === 'HandleFailure'), name);
  }
  assert.equal(states[String(states.HandleFailure.Next)].Type, 'Fail');
});

test('the work retries transient errors', () => {
  const retried = new Set((states.Execute.Retry ?? []).flatMap((r) => r.ErrorEquals));
  for (const e of ['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'TransientError']) assert.ok(retried.has(e), e);
});
{{#unless front}}

test('a duplicate start is claimed once and asks nobody', () => {
  assert.equal(states.Start.Next, 'ClaimStart');
  const claim = states.ClaimStart as State & { Parameters: { ConditionExpression?: string; Item?: Record<string, unknown> } };
  assert.equal(claim.Resource, 'arn:aws:states:::dynamodb:putItem');
  assert.equal(claim.Parameters.ConditionExpression, 'attribute_not_exists(startKey)');
  assert.deepEqual(claim.Parameters.Item?.startKey, { 'S.$': '$.startKey' });
  const duplicate = claim.Catch?.find((c) => c.ErrorEquals.includes('DynamoDB.ConditionalCheckFailedException'));
  assert.equal(states[String(duplicate?.Next)].Type, 'Succeed');
  assert.equal(claim.Next, 'RequestApproval');
});
{{/unless}}
