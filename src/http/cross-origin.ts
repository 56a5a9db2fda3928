// What browsers on other sites may do. CORS: only the origins CORS_ORIGINS lists (none by default:
// same-origin). Cross-site request forgery: a browser sends a request cross-site without asking first (no
// preflight) only as GET or as a POST with a "simple" content type (text/plain, a form, none).
// A GET never changes anything here (yoga runs no mutation over GET, 405), so GET queries and
// GET subscriptions (EventSource, GraphiQL) need no special header. A POST must say it is JSON,
// which no page can send cross-site without the preflight CORS answers; any other POST is refused.
import type { CORSOptions, Plugin } from 'graphql-yoga';
import { refusal } from './error-codes.js';

/** The request bodies yoga reads as JSON (`application/graphql+json` is the draft's older name). */
const JSON_MEDIA_TYPES = new Set(['application/json', 'application/graphql+json']);

/** The media type without parameters (`application/json; charset=utf-8` → `application/json`). */
function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(/[;,]/)[0]!.trim().toLowerCase();
}

/** Refuses, on the GraphQL endpoint, a POST whose body is not declared as JSON: 415 POST_REQUIRES_JSON. */
export function postsMustBeJson(): Plugin {
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST') return;
      const type = mediaType(request.headers.get('content-type'));
      if (JSON_MEDIA_TYPES.has(type)) return;
      throw refusal(
        'POST_REQUIRES_JSON',
        `A POST to /graphql must send its body as JSON (content-type: application/json), not ${type === '' ? 'without a content type' : `as ${type}`}: a browser sends other content types cross-site without asking the server first, so they are refused (cross-site request forgery). GET runs queries and subscriptions with no special header.`,
      );
    },
  };
}

/**
 * yoga's CORS options for CORS_ORIGINS (false: same-origin only). Apollo Client's
 * `apollographql-client-name`/`-version` headers are allowed so its preflight passes.
 */
export function corsOptions(origins: string[]): CORSOptions | false {
  if (origins.length === 0) return false;
  return {
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'accept', 'authorization', 'apollographql-client-name', 'apollographql-client-version'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    credentials: false,
    maxAge: 600,
  };
}

/**
 * `Vary: Origin` on every answer when CORS is on: the CORS headers depend on the request's
 * origin, so a shared cache must not hand one origin's answer to another (yoga adds it only
 * when it echoes one of several origins).
 */
export function varyOnOrigin(): Plugin {
  return {
    onResponse({ response }) {
      const vary = response.headers.get('vary');
      if (vary === null) response.headers.set('vary', 'Origin');
      else if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(vary)) response.headers.set('vary', `${vary}, Origin`);
    },
  };
}
