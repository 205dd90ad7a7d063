/**
 * StreamFunction for {{patternName}}: writes its output as it is produced, through a REST API method with
 * responseTransferMode STREAM and a function URL with InvokeMode RESPONSE_STREAM (template.yaml).
 * `awslambda` is a global of the Node.js Lambda runtime: streamifyResponse hands the handler a writable
 * response stream, HttpResponseStream.from sends the status and headers first. core.ts does the rest.
 */
import { BadRequest, makeStreamHandler, type Deadline, type HttpResponseStreamFactory, type Item, type LambdaContext, type ResponseStream, type StreamEvent } from './core';

declare const awslambda: {
  streamifyResponse(
    handler: (event: StreamEvent, responseStream: ResponseStream, context: LambdaContext) => Promise<void>,
  ): unknown;
  HttpResponseStream: HttpResponseStreamFactory;
};

/** Yields the output piece by piece; each value is sent to the client at once. Call deadline.check() between steps. */
async function* produce(request: Item, deadline: Deadline): AsyncIterable<unknown> {
  // BUSINESS LOGIC: yield each piece of the answer as soon as it exists (model tokens, report rows); an error thrown here ends the stream with an error line.
  const sections = Array.isArray(request.sections) ? request.sections : ['summary'];
  for (const section of sections) {
    deadline.check(`section ${String(section)}`);
    yield { section, text: `report section ${String(section)}` };
  }
}

/** Runs before the 200 is sent: throw BadRequest here to answer 400. */
function validate(request: Item): void {
  // BUSINESS LOGIC: reject a bad request here, before the stream starts.
  if (request.sections !== undefined && !Array.isArray(request.sections)) throw new BadRequest('sections must be a list');
  if (Array.isArray(request.sections) && request.sections.length > 1000) throw new BadRequest('at most 1000 sections');
}

export const handler = awslambda.streamifyResponse(
  makeStreamHandler({
    produce,
    validate,
    httpResponseStream: awslambda.HttpResponseStream,
    windowSeconds: Number(process.env.STREAM_WINDOW_SECONDS ?? '900'),
    safetySeconds: Number(process.env.SAFETY_SECONDS ?? '5'),
    heartbeatSeconds: Number(process.env.HEARTBEAT_SECONDS ?? '20'),
  }),
);
