// What a failure shows, on every route: an error the client did not cause reaches it only as a
// code and a request id (the log line under that id has the original error), the database being
// unavailable is 503 DATABASE_UNAVAILABLE wherever it is met (GraphQL, exports, `/ready`), and
// production hides the schema hints graphql-js puts in its messages.
import { GraphQLError } from 'graphql';
import { maskError, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { databaseUnavailability, isStatementTimeout } from '../db/unavailable.js';
import { InvalidInputError } from '../rules/errors.js';
import { ERROR_CODES } from './error-codes.js';
import { currentRequestId } from './hardening.js';

/** Clients may retry after this many seconds when the database is unavailable. */
const RETRY_AFTER_SECONDS = 5;

interface MaskedError {
  status: number;
  message: string;
  extensions: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * The database could not answer: unreachable (503 DATABASE_UNAVAILABLE: not the client's fault
 * and not a bug, so clients retry instead of reporting it), or it stopped a statement that ran
 * past statement_timeout (TIMEOUT: the request asked too much). Null for any other error.
 */
function databaseFailure(error: unknown, logger: Logger): MaskedError | null {
  const requestId = currentRequestId();
  const unavailable = databaseUnavailability(error);
  if (unavailable) {
    logger.warn({ requestId, err: error, reason: unavailable }, 'database unavailable');
    return {
      status: ERROR_CODES.DATABASE_UNAVAILABLE.status,
      message: `The database is unavailable right now (${unavailable}): try again shortly (request id ${requestId}).`,
      extensions: { code: 'DATABASE_UNAVAILABLE', requestId },
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    };
  }
  if (isStatementTimeout(error)) {
    logger.warn({ requestId, err: error }, 'statement timeout');
    return {
      status: ERROR_CODES.TIMEOUT.status,
      message: `The database stopped the query after DATABASE_STATEMENT_TIMEOUT_MS: ask for less (smaller pages, fewer nested lists) or narrow the filter (request id ${requestId}).`,
      extensions: { code: 'TIMEOUT', requestId },
    };
  }
  return null;
}

/**
 * yoga's masking for GraphQL (no stack or message of an unexpected error reaches the client)
 * plus the request id in the message and the original error in the log under the same id.
 */
export function maskErrorWithRequestId(logger: Logger) {
  return (error: unknown, message: string, isDev?: boolean): Error => {
    const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
    const path = error instanceof GraphQLError ? error.path : undefined;
    if (original instanceof InvalidInputError) {
      // An argument broke its rule (a date that does not exist, an ID of the wrong type): the
      // client's to fix, said with the argument's path, each rule and its code.
      return new GraphQLError(original.message, { path, extensions: { code: 'BAD_USER_INPUT', issues: original.issues } });
    }
    const failure = databaseFailure(original, logger);
    if (failure) {
      // A timed-out statement keeps GraphQL's own status (its TIMEOUT is a 200, like REQUEST_TIMEOUT_MS).
      const http = failure.status === 503 ? { status: failure.status, headers: failure.headers } : undefined;
      return new GraphQLError(failure.message, { path, extensions: { ...failure.extensions, ...(http ? { http } : {}) } });
    }
    const masked = maskError(error, message, isDev);
    if (masked === error) return masked;
    const requestId = currentRequestId();
    logger.error({ requestId, err: original, path }, 'unexpected error');
    const graphQLError = masked as GraphQLError;
    return new GraphQLError(`${message} Quote request id ${requestId} to the operator.`, {
      nodes: graphQLError.nodes,
      source: graphQLError.source,
      positions: graphQLError.positions,
      path: graphQLError.path,
      extensions: { ...graphQLError.extensions, requestId },
    });
  };
}

/**
 * The response of an HTTP route (not /graphql) that failed: a deliberate refusal keeps its
 * message, code and status (a GraphQLError with `extensions.http.status`); anything else is
 * masked as above. JSON in GraphQL's error shape, never a stack trace.
 */
export function errorResponse(error: unknown, logger: Logger): Response {
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  const refusal = error instanceof GraphQLError ? (error.extensions.http as { status?: number } | undefined)?.status : undefined;
  let body: MaskedError;
  if (refusal && error instanceof GraphQLError) {
    const { http: _http, ...extensions } = error.extensions;
    body = { status: refusal, message: error.message, extensions };
    if (refusal === 401) headers['www-authenticate'] = 'Bearer';
  } else {
    const requestId = currentRequestId();
    body = databaseFailure(error, logger) ?? {
      status: 500,
      message: `Unexpected error. Quote request id ${requestId} to the operator.`,
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
    };
    if (body.status === 500) logger.error({ requestId, err: error }, 'unexpected error');
  }
  return Response.json({ errors: [{ message: body.message, extensions: body.extensions }] }, { status: body.status, headers: { ...headers, ...body.headers } });
}

// ---------------------------------------------------------------------------------------------
// Suggestions

/** graphql-js's "Did you mean …?" hints, for fields, arguments, types and enum values alike. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

function withoutSuggestions<E extends { message: string }>(errors: readonly E[]): E[] {
  return errors.map((error) => {
    const hidden = error.message.replace(SUGGESTION, '');
    if (hidden === error.message) return error;
    const message = `${hidden} [Suggestion hidden]`;
    return error instanceof GraphQLError
      ? (new GraphQLError(message, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          originalError: error.originalError,
          extensions: error.extensions,
        }) as unknown as E)
      : { ...error, message };
  });
}

/**
 * In production, hides graphql-js's suggestions, which spell out the schema to anyone probing it
 * with typos: in validation (field, argument and enum-value names in the document) and in
 * variables (an enum value in `variables`). graphql-armor's plugin covers only field names in
 * validation ("Did you mean the enum value …?" slipped through).
 */
export function hideSuggestions(): Plugin {
  const hideInResult = ({ result, setResult }: { result: unknown; setResult: (result: never) => void }) => {
    const { errors } = result as { errors?: readonly GraphQLError[] };
    if (errors?.length) setResult({ ...(result as object), errors: withoutSuggestions(errors) } as never);
  };
  return {
    onValidate:
      () =>
      ({ valid, result, setResult }) => {
        if (!valid) setResult(withoutSuggestions(result));
      },
    onExecute: () => ({ onExecuteDone: (payload) => (Symbol.asyncIterator in payload.result ? undefined : hideInResult(payload)) }),
    onSubscribe: () => ({ onSubscribeResult: (payload) => (Symbol.asyncIterator in payload.result ? undefined : hideInResult(payload)) }),
  };
}
