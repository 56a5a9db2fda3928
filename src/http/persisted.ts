// Persisted documents over HTTP: what a client may send instead of (or with) a document's text.
// - Apollo's automatic persisted queries (APQ): `extensions.persistedQuery.sha256Hash` alone runs
//   a known document, or fails with PERSISTED_QUERY_NOT_FOUND; the client then sends the hash
//   with the query, which runs and is stored, so the next request needs one round trip.
// - Persisted documents (Relay, urql, the GraphQL-over-HTTP draft): `documentId` or `doc_id`, in
//   the body or the GET query string, names a registered operation (`sha256:` prefix optional).
// - PERSISTED_ONLY=true: only registered operations run, a client stores nothing.
// @graphql-yoga/plugin-apq is not used: it looks documents up in a store of its own, apart from
// the registered ones, and its errors say neither what was wrong nor what to do.
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { hasScope, type Caller } from '../auth/keys.js';
import { operationHash, type DocumentStore } from '../persisted/operations.js';
import { httpExtension, refusal } from './error-codes.js';

/** The body fields (and GET parameters) that name a persisted document, besides `extensions`. */
export const DOCUMENT_ID_PARAMS = ['documentId', 'doc_id'] as const;

interface RequestedId {
  /** The hash, hex, as the store keys it. */
  hash: string;
  /** Where the client put it, as it wrote it (for error messages). */
  field: string;
  apq: boolean;
}

/** The persisted document a request names, if any: its APQ hash, `documentId` or `doc_id`. */
function requestedId(params: GraphQLParams, request: Request): RequestedId | null {
  const persistedQuery = params.extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
  if (persistedQuery?.version === 1 && typeof persistedQuery.sha256Hash === 'string') {
    return { hash: persistedQuery.sha256Hash, field: 'extensions.persistedQuery.sha256Hash', apq: true };
  }
  // yoga reads only `query`, `variables`, `operationName` and `extensions` from a GET's query string.
  const search = request.method === 'GET' ? new URL(request.url).searchParams : null;
  for (const field of DOCUMENT_ID_PARAMS) {
    const id = search ? search.get(field) : (params as Record<string, unknown>)[field];
    if (typeof id === 'string' && id !== '') return { hash: id.replace(/^sha256:/, ''), field, apq: false };
  }
  return null;
}

/** True when a document only registers operations (allowed to WRITE keys in PERSISTED_ONLY mode). */
function onlyRegistersOperations(query: string): boolean {
  try {
    const operations = parse(query).definitions;
    return operations.every(
      (d) =>
        d.kind === Kind.OPERATION_DEFINITION &&
        (d as OperationDefinitionNode).operation === 'mutation' &&
        d.selectionSet.selections.every((s) => s.kind === Kind.FIELD && ['registerOperation', '__typename'].includes(s.name.value)),
    );
  } catch {
    return false;
  }
}

/** The plugins, in order: the PERSISTED_ONLY allow-list, the hash check (and APQ store), the lookup. */
export function persistedDocuments(
  documents: DocumentStore,
  options: { persistedOnly: boolean; callerFor: (request: Request) => Promise<Caller | null> },
): Plugin[] {
  const { persistedOnly, callerFor } = options;
  /** PERSISTED_ONLY: a document sent as text runs only for ADMIN keys (and registerOperation for WRITE keys). */
  const allowList: Plugin = {
    async onParams({ params, request }) {
      if (!persistedOnly || !params.query) return;
      const caller = await callerFor(request);
      if (hasScope(caller, 'ADMIN')) return;
      if (hasScope(caller, 'WRITE') && onlyRegistersOperations(params.query)) return;
      throw refusal(
        'PERSISTED_QUERY_ONLY',
        'This gateway runs only registered operations (PERSISTED_ONLY): send `extensions: { persistedQuery: { version: 1, sha256Hash: "<hash>" } }` or `documentId: "<hash>"` instead of the document; register documents with `registerOperation` (WRITE or ADMIN key)',
      );
    },
  };
  /** A hash sent with its document must be the document's; outside PERSISTED_ONLY the document is then stored (APQ). */
  const hashMatchesDocument: Plugin = {
    onParams({ params, request }) {
      if (!params.query) return;
      const requested = requestedId(params, request);
      if (!requested) return;
      if (requested.hash !== operationHash(params.query)) {
        throw refusal(
          'PERSISTED_QUERY_MISMATCH',
          `\`${requested.field}\` is not the SHA-256 of \`query\`: the hash must be of the document's exact text (hex), or send the query alone`,
        );
      }
      documents.remember(requested.hash, params.query);
    },
  };
  const lookup = usePersistedOperations({
    allowArbitraryOperations: true, // refused by the allow-list in PERSISTED_ONLY mode
    extractPersistedOperationId: (params, request) => requestedId(params, request)?.hash ?? null,
    getPersistedOperation: (hash) => documents.find(hash),
    customErrors: {
      notFound: ({ params, request }) => {
        const requested = requestedId(params, request)!;
        if (requested.apq) {
          // Apollo's APQ link and urql's persisted exchange send the query again on this code.
          return refusal(
            'PERSISTED_QUERY_NOT_FOUND',
            persistedOnly
              ? 'No operation is registered with this hash: register the document with `registerOperation` first (the hash is the SHA-256 of its exact text)'
              : 'No document is known by this hash yet: send it again with the query (automatic persisted queries), or register it with `registerOperation`',
          );
        }
        return refusal(
          'PERSISTED_DOCUMENT_NOT_FOUND',
          `No operation is registered with this \`${requested.field}\`: it is the SHA-256 (hex, \`sha256:\` prefix optional) of a document registered with \`registerOperation\``,
        );
      },
      keyNotFound: {
        message:
          "Send a GraphQL document as `query`, or a persisted document's hash as `documentId` or `extensions.persistedQuery.sha256Hash` (with `version: 1`)",
        extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED', http: httpExtension('PERSISTED_QUERY_ID_REQUIRED') },
      },
    },
  });
  return [allowList, hashMatchesDocument, lookup];
}
