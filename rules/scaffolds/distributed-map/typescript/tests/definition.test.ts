// The state machine's shape: a Distributed Map reading S3, Express children, bounded, results to S3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const definition = JSON.parse(readFileSync('statemachine/definition.asl.json', 'utf8'));
const map = definition.States[definition.StartAt];

test('the map runs in distributed mode with Express children', () => {
  assert.equal(map.Type, 'Map');
  assert.deepEqual(map.ItemProcessor.ProcessorConfig, { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' });
});

{{#if triggerSchedule}}
test('items are the objects under the prefix of the execution input', () => {
  assert.equal(map.ItemReader.Resource, 'arn:aws:states:::s3:listObjectsV2');
  assert.deepEqual(map.ItemReader.Parameters, { 'Bucket.$': '$.bucket', 'Prefix.$': '$.prefix' });
});
{{else}}
test('items are read from the S3 object of the execution input', () => {
  assert.equal(map.ItemReader.Resource, 'arn:aws:states:::s3:getObject');
  assert.ok(['CSV', 'JSON', 'JSONL'].includes(map.ItemReader.ReaderConfig.InputType));
  assert.deepEqual(map.ItemReader.Parameters, { 'Bucket.$': '$.bucket', 'Key.$': '$.key' });
});
{{/if}}

test('concurrency and tolerated failures are bounded', () => {
  assert.ok(map.MaxConcurrency >= 1 && map.MaxConcurrency <= 10_000, 'unset means up to 10,000 children at once');
  assert.ok(map.ToleratedFailurePercentage > 0 && map.ToleratedFailurePercentage < 100);
});

test('results go to the results bucket', () => {
  assert.equal(map.ResultWriter.Resource, 'arn:aws:states:::s3:putObject');
  assert.equal(map.ResultWriter.Parameters.Bucket, '${ResultsBucketName}');
});

test('each child passes the batch id and the item to the item handler, with retries', () => {
  assert.deepEqual(map.ItemSelector, { 'batchId.$': '$.batchId', 'index.$': '$$.Map.Item.Index', 'item.$': '$$.Map.Item.Value' });
  const task = map.ItemProcessor.States[map.ItemProcessor.StartAt];
  assert.equal(task.Resource, 'arn:aws:states:::lambda:invoke');
  assert.equal(task.Parameters.FunctionName, '${ItemFunctionArn}');
  const retried = new Set(task.Retry.flatMap((rule: { ErrorEquals: string[] }) => rule.ErrorEquals));
  assert.ok(retried.has('ItemInProgress') && retried.has('Lambda.TooManyRequestsException'));
  assert.ok(task.TimeoutSeconds < 300, 'an Express child stops at 5 min');
});

test('a failed map run is reported, then fails the execution', () => {
  const [caught] = map.Catch;
  assert.deepEqual(caught.ErrorEquals, ['States.ALL']);
  const notify = definition.States[caught.Next];
  assert.equal(notify.Resource, 'arn:aws:states:::sns:publish');
  assert.equal(definition.States[notify.Next].Type, 'Fail');
  assert.equal(definition.States[map.Next].Type, 'Succeed');
});
