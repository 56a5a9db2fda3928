// HTTP routes beside /graphql (readiness, exports, GraphiQL's assets; charts and pages to come)
// are yoga plugins made with `route()`. Who may use a path is decided before any route runs
// (src/http/access.ts); `route()` makes every route fail the same way: its errors answered as
// JSON with a request id, 503 DATABASE_UNAVAILABLE during an outage (src/http/errors.ts), never
// the server's default plain-text stack trace.
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { errorResponse } from './errors.js';

export { errorResponse };

/** Answers the requests `matches` picks with `handle`, whose errors are masked; hands every other URL on. */
export function route(
  logger: Logger,
  matches: (url: URL) => boolean,
  handle: (request: Request, url: URL) => Promise<Response | null> | Response | null,
): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (!matches(url)) return;
      let response: Response | null;
      try {
        response = await handle(request, url);
      } catch (error) {
        response = errorResponse(error, logger);
      }
      if (response) endResponse(response);
    },
  };
}
