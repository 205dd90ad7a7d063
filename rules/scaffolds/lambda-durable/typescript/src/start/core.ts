/**
 * StartFunction of {{patternName}}: accepts an order and starts its durable execution asynchronously; answers 202.
 *
 *   POST /orders -> Invoke(FunctionName=<the workflow's live alias>, InvocationType "Event", DurableExecutionName=<id>)
 *
 * InvocationType Event lets the execution run past 15 minutes (up to DurableConfig.ExecutionTimeout); a synchronous
 * invoke would wait for the whole execution and be capped at 15 minutes. The alias is required: an unqualified
 * function ARN cannot start a durable execution. The execution name is the Idempotency-Key (or a new id): Lambda
 * answers a retry with the same name and payload with the existing execution.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export type Item = Record<string, unknown>;

export interface StartDeps {
  /** Invoke with InvocationType "Event" and DurableExecutionName; resolves to the DurableExecutionArn if returned. */
  startExecution(name: string, payload: string): Promise<string | undefined>;
  newId: () => string;
  validateOrder?: (order: Item) => Item;
}

const KEY = /^[A-Za-z0-9_-]{1,64}$/;

export class BadRequest extends Error {
  override name = 'BadRequest';
}

export function respond(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export function parseBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Item {
  let raw = event.body ?? '{}';
  if (event.isBase64Encoded) raw = Buffer.from(raw, 'base64').toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new BadRequest(`body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequest('body must be a JSON object');
  return value as Item;
}

export function makeHandler(deps: StartDeps) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    let order: Item;
    let name: string;
    try {
      order = parseBody(event);
      // BUSINESS LOGIC: cheap checks before starting (shape, size) in validateOrder; the workflow validates the rest.
      if (deps.validateOrder) order = deps.validateOrder(order);
      const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const key = headers['idempotency-key'];
      if (key !== undefined && !KEY.test(String(key))) throw new BadRequest('Idempotency-Key must be 1-64 characters of A-Z a-z 0-9 _ -');
      name = key === undefined ? deps.newId() : String(key);
    } catch (err) {
      if (err instanceof BadRequest) return respond(400, { error: err.message });
      throw err;
    }
    if (order.orderId === undefined) order = { ...order, orderId: name };
    try {
      const arn = await deps.startExecution(name, JSON.stringify(order));
      return respond(202, arn ? { executionName: name, status: 'RUNNING', executionArn: arn } : { executionName: name, status: 'RUNNING' });
    } catch (err) {
      if ((err as Error).name === 'DurableExecutionAlreadyStartedException') {
        return respond(409, { error: `Idempotency-Key '${name}' already started a different order` });
      }
      console.error(JSON.stringify({ level: 'ERROR', message: 'could not start the execution', executionName: name, error: String(err) }));
      return respond(503, { error: 'could not start the workflow; retry later' });
    }
  };
}
