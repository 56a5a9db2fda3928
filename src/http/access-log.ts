// One JSON line per request at `info`, whatever the path or the outcome (401s, refusals and
// writes too): who asked (the API key's id, never its secret), what (method, path without the
// query string, the operations' names), how it went (status, milliseconds, SQL statements sent)
// and the ids to find the rest by (request id; trace id when the caller sent a `traceparent`).
// For a subscription, the line is written when its stream starts.
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { LOCAL_OPERATOR } from '../auth/local-operator.js';
import type { RequestCallers } from './access.js';
import { currentRequest } from './hardening.js';
import { incomingTrace } from './tracing.js';

export function accessLog(logger: Logger, callers: Pick<RequestCallers, 'known'>): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    // Each operation of a batch, named as the document names it (persisted operations too).
    onParse() {
      return ({ result, context }) => {
        if (result instanceof Error || !result) return;
        const operation = getOperationAST(result, (context as { params?: { operationName?: string | null } }).params?.operationName);
        currentRequest()?.operations.push(operation?.name?.value ?? 'anonymous');
      };
    },
    onResponse({ request, response }) {
      const record = currentRequest();
      const caller = callers.known(request);
      const trace = incomingTrace(request);
      logger.info(
        {
          requestId: record?.id,
          method: request.method,
          path: new URL(request.url).pathname,
          operation: record?.operations.length ? record.operations.join(',') : null,
          keyId: caller?.apiKeyId ?? null,
          ...(caller === LOCAL_OPERATOR ? { localOperator: true } : {}),
          status: response.status,
          ms: Math.round((performance.now() - (started.get(request) ?? performance.now())) * 10) / 10,
          sqlStatements: record?.sqlStatements.count ?? 0,
          ...(trace ? { traceId: trace.traceId } : {}),
        },
        'request',
      );
    },
  };
}
