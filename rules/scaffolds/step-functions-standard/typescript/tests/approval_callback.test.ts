import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { approverOf, Forbidden, makeHandler, type Approvals, type Item } from '../src/approval_callback/core';

class FakeApprovals implements Approvals {
  items = new Map<string, Item>([
    ['ap-1', { approvalId: 'ap-1', taskToken: 'token-abc', status: 'PENDING', request: '{"amount":1200,"requester":"ana"}' }],
  ]);

  async get(approvalId: string): Promise<Item | undefined> {
    return this.items.get(approvalId);
  }

  async decide(approvalId: string, status: string, approver: string, comment: string, decidedAt: number): Promise<boolean> {
    const item = this.items.get(approvalId);
    if (item?.status !== 'PENDING') return false; // mirrors ConditionExpression '#status = :pending'
    Object.assign(item, { status, approver, comment, decidedAt });
    return true;
  }

  async setStatus(approvalId: string, status: string): Promise<void> {
    this.items.get(approvalId)!.status = status;
  }
}

function sfnError(name: string): Error {
  const err = new Error(name);
  err.name = name;
  return err;
}

function setup(fail?: () => Error | undefined) {
  const approvals = new FakeApprovals();
  const calls: unknown[][] = [];
  const handler = makeHandler({
    approvals,
    callbacks: {
      sendTaskSuccess: async (taskToken, output) => {
        const err = fail?.();
        if (err) throw err;
        calls.push(['success', taskToken, JSON.parse(output)]);
      },
      sendTaskFailure: async (taskToken, error, cause) => {
        const err = fail?.();
        if (err) throw err;
        calls.push(['failure', taskToken, error, cause]);
      },
    },
    authorize: (approver, request, decision) => {
      if (decision.decision === 'approve' && approver === request.requester) throw new Forbidden('requesters may not approve their own requests');
    },
    now: () => 5_000,
    log: () => {},
  });
  const decide = async (body: unknown, approvalId = 'ap-1', approver = 'lead@example.com') => {
    const event = {
      pathParameters: { approvalId },
      body: JSON.stringify(body),
      isBase64Encoded: false,
      requestContext: { authorizer: { claims: { email: approver } } },
    };
    const result = await handler(event as unknown as APIGatewayProxyEvent);
    return { status: result.statusCode, body: JSON.parse(result.body) as Item };
  };
  return { approvals, calls, decide };
}

test('approve sends task success with the stored token and the approval as output', async () => {
  const { approvals, calls, decide } = setup();

  const result = await decide({ decision: 'approve', comment: 'ok' });

  assert.deepEqual(result, { status: 200, body: { approvalId: 'ap-1', status: 'APPROVED' } });
  assert.deepEqual(calls, [['success', 'token-abc', { approved: true, approver: 'lead@example.com', comment: 'ok' }]]);
  assert.equal(approvals.items.get('ap-1')?.status, 'APPROVED');
});

test('a start time is normalised to UTC and handed to the Wait state', async () => {
  const { calls, decide } = setup();

  await decide({ decision: 'approve', notBefore: '2030-01-31T09:00:00+01:00' });

  assert.equal((calls[0][2] as Item).notBefore, '2030-01-31T08:00:00Z');
});

test('reject sends task failure with the error the workflow catches', async () => {
  const { calls, decide } = setup();

  assert.equal((await decide({ decision: 'reject', comment: 'budget exhausted' })).status, 200);
  assert.deepEqual(calls, [['failure', 'token-abc', 'ApprovalRejected', 'budget exhausted']]);
});

test('a second decision answers 409 and does not call Step Functions', async () => {
  const { calls, decide } = setup();

  await decide({ decision: 'approve' });
  const second = await decide({ decision: 'reject' });

  assert.deepEqual(second, { status: 409, body: { error: 'already decided: APPROVED' } });
  assert.equal(calls.length, 1);
});

test('a timed-out token answers 410 and marks the approval expired', async () => {
  const { approvals, decide } = setup(() => sfnError('TaskTimedOut'));

  assert.equal((await decide({ decision: 'approve' })).status, 410);
  assert.equal(approvals.items.get('ap-1')?.status, 'EXPIRED');
});

test('a throttled callback answers 503 and can be retried', async () => {
  let throttle = true;
  const { approvals, calls, decide } = setup(() => (throttle ? sfnError('ThrottlingException') : undefined));

  assert.equal((await decide({ decision: 'approve' })).status, 503);
  assert.equal(approvals.items.get('ap-1')?.status, 'PENDING');
  throttle = false;
  assert.equal((await decide({ decision: 'approve' })).status, 200);
  assert.equal(calls.length, 1);
});

test('requesters may not approve their own request', async () => {
  const { calls, decide } = setup();

  assert.equal((await decide({ decision: 'approve' }, 'ap-1', 'ana')).status, 403);
  assert.equal(calls.length, 0);
});

test('with IAM auth the approver is the signed caller\'s ARN', async () => {
  const { approvals, calls } = setup();
  const approverArn = 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Approvers_0123456789abcdef/lead@example.com';
  const handler = makeHandler({
    approvals,
    callbacks: {
      sendTaskSuccess: async (taskToken, output) => { calls.push(['success', taskToken, JSON.parse(output)]); },
      sendTaskFailure: async () => { throw new Error('not expected'); },
    },
    authorize: () => {},
    now: () => 5_000,
    log: () => {},
  });
  // ApprovalApi's AWS_IAM auth: no authorizer block, the caller's identity instead (events/approval-callback.json)
  const event = {
    pathParameters: { approvalId: 'ap-1' },
    body: JSON.stringify({ decision: 'approve' }),
    isBase64Encoded: false,
    requestContext: { authorizer: null, identity: { accountId: '123456789012', caller: 'AROAEXAMPLEROLEID1234:lead@example.com', userArn: approverArn } },
  };

  assert.equal((await handler(event as unknown as APIGatewayProxyEvent)).statusCode, 200);
  assert.deepEqual(calls, [['success', 'token-abc', { approved: true, approver: approverArn, comment: '' }]]);
  assert.equal(approvals.items.get('ap-1')?.approver, approverArn);
  assert.equal(approverOf({ requestContext: { identity: { userArn: null } } } as unknown as APIGatewayProxyEvent), 'anonymous');
});

test('unknown approvals answer 404, bad decisions 400', async () => {
  const { decide } = setup();

  assert.equal((await decide({ decision: 'approve' }, 'nope')).status, 404);
  assert.equal((await decide({ decision: 'maybe' })).status, 400);
  assert.equal((await decide({ decision: 'approve', notBefore: 'tomorrow' })).status, 400);
  assert.equal((await decide({ decision: 'approve', notBefore: '2030-01-31T09:00:00' })).status, 400);
});
