// Every `extensions.code` the gateway answers with, its HTTP status and what it means: the one
// list. Refusals are built from it (`refusal`), and README's table of codes is checked against it
// (test/error-codes.test.ts). `status` is the answer under `Accept: application/graphql-response+json`;
// `json` under plain `application/json`, where the GraphQL-over-HTTP spec keeps 200 for a
// well-formed request that GraphQL refused (request errors), so older clients read the errors.
import { GraphQLError, type ASTNode } from 'graphql';

interface ErrorCode {
  status: number;
  json: number;
  meaning: string;
}

/** A GraphQL request error: 400, but 200 under plain `application/json` (the spec's legacy rule). */
const requestError = (meaning: string): ErrorCode => ({ status: 400, json: 200, meaning });
/** An HTTP-level refusal: the same status whatever the client accepts. */
const httpError = (status: number, meaning: string): ErrorCode => ({ status, json: status, meaning });

export const ERROR_CODES = {
  GRAPHQL_PARSE_FAILED: requestError('The document is not GraphQL: the message names the line and column of the syntax error.'),
  GRAPHQL_VALIDATION_FAILED: requestError(
    'The document does not fit the schema: a field, argument or type that does not exist, or a fragment that cannot apply.',
  ),
  QUERY_TOO_DEEP: requestError('Selections nest deeper than MAX_QUERY_DEPTH (`depth`, `limit`).'),
  TOO_MANY_ALIASES: requestError('More aliases than MAX_QUERY_ALIASES (`aliases`, `limit`).'),
  TOO_MANY_DIRECTIVES: requestError('More directives than MAX_QUERY_DIRECTIVES (`directives`, `limit`).'),
  TOO_MANY_TOKENS: requestError('The document has more lexical tokens than MAX_QUERY_TOKENS (`limit`).'),
  QUERY_TOO_COSTLY: requestError(
    'The objects the query can return, estimated from its page sizes and what the data can hold, exceed MAX_QUERY_COST (`cost`, `limit`).',
  ),
  BAD_USER_INPUT: requestError(
    'An argument or variable breaks its rule: a value of the wrong type, a list over its maximum, an invalid global ID or cursor, an impossible date. The message names the argument as written (`argument`, or `issues` for input objects). Found before execution: 400; found by a field as it runs: that field is null and the answer 200.',
  ),
  // The request's parameters, not GraphQL, are wrong: 400 whatever the client accepts.
  PERSISTED_QUERY_ONLY: httpError(400, 'PERSISTED_ONLY is on and the request sent a document instead of a registered hash.'),
  PERSISTED_QUERY_NOT_FOUND: httpError(
    400,
    'No document is known by the hash sent: an automatic persisted query sends it again with the query; in PERSISTED_ONLY mode, register it first.',
  ),
  PERSISTED_QUERY_MISMATCH: httpError(400, 'The hash sent with a query is not the SHA-256 of its exact text.'),
  PERSISTED_DOCUMENT_NOT_FOUND: httpError(400, 'No operation is registered under the `documentId` (or `doc_id`) sent.'),
  PERSISTED_QUERY_ID_REQUIRED: httpError(400, 'The request sent neither a document nor a registered hash.'),
  TIMEOUT: {
    status: 504,
    json: 200,
    meaning:
      'The query ran past REQUEST_TIMEOUT_MS and was stopped, nothing answered (504). A single statement the database stopped (DATABASE_STATEMENT_TIMEOUT_MS) fails only its field (200).',
  },
  UNAUTHENTICATED: httpError(401, 'The field or route needs an API key (`Authorization: Bearer <key>`), or the key sent is not valid.'),
  FORBIDDEN: httpError(403, 'The API key may not do this: reading needs READ, writing WRITE, keys and merges ADMIN.'),
  BATCH_TOO_LARGE: httpError(413, 'A batched request (a JSON array) holds more operations than MAX_BATCH (`limit`).'),
  PAYLOAD_TOO_LARGE: httpError(413, 'The request body is larger than MAX_BODY_BYTES.'),
  POST_REQUIRES_JSON: httpError(415, 'A POST whose body is not declared as JSON (cross-site request forgery protection).'),
  RATE_LIMITED: httpError(429, 'Over the rate limit for the API key or client address; retry after `Retry-After` seconds (`limit`, `retryAfterSeconds`).'),
  INTERNAL_SERVER_ERROR: httpError(500, 'Something the gateway did not expect; quote the request id to the operator.'),
  DATABASE_UNAVAILABLE: httpError(503, 'The database does not answer right now; retry after `Retry-After` seconds.'),
  SHUTTING_DOWN: httpError(503, 'The gateway is shutting down and did not run the request; send it again.'),
} as const satisfies Record<string, ErrorCode>;

export type ErrorCodeName = keyof typeof ERROR_CODES;

/** yoga's `extensions.http` for a code: its status, marked `spec` when plain JSON clients get 200. */
export function httpExtension(code: ErrorCodeName, headers?: Record<string, string>) {
  const { status, json } = ERROR_CODES[code];
  return { status, ...(json !== status ? { spec: true } : {}), ...(headers ? { headers } : {}) };
}

/**
 * A refusal of the whole request (nothing ran): the code, its HTTP status from ERROR_CODES, and
 * the details a program can branch on. Not for an error of one field while the query runs, whose
 * answer keeps the other fields' data and so its 200.
 */
export function refusal(
  code: ErrorCodeName,
  message: string,
  options: { extensions?: Record<string, unknown>; headers?: Record<string, string>; nodes?: ASTNode | readonly ASTNode[] } = {},
): GraphQLError {
  return new GraphQLError(message, {
    nodes: options.nodes,
    extensions: { code, ...options.extensions, http: httpExtension(code, options.headers) },
  });
}
