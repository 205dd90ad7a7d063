/**
 * API Lambda for {{patternName}}: answers in the same request, inside API Gateway's 29 s window.
 * core.ts gives the work a deadline, maps errors to 400/504/500 and warns near the limit.
 */
import { BadRequest, makeHandler, type Deadline, type Item } from './core';

/** Does the work and returns the response body. Call deadline.check('step') between steps. */
async function handleRequest(request: Item, deadline: Deadline): Promise<unknown> {
  // BUSINESS LOGIC: do the work here; it must finish well inside the 29 s window (throw BadRequest for a 400).
  if (Object.keys(request).length > 1000) throw new BadRequest('too many fields');
  deadline.check('handleRequest');
  return { received: Object.keys(request).sort() };
}

export const handler = makeHandler({
  handleRequest,
  windowSeconds: Number(process.env.API_WINDOW_SECONDS ?? '29'),
  safetySeconds: Number(process.env.SAFETY_SECONDS ?? '1.5'),
});
