// The Pothos builder and its plugins, nothing else. Concept files under src/schema/ add types.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import { hasScope, mayRead } from '../auth/keys.js';
import GlobalIDArgumentsPlugin, { parseGlobalID } from './global-ids.js';
import type { Context } from '../context.js';
import { Prisma } from '../generated/prisma/client.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';

/** Page size limits shared by every connection (first/last above the max are clamped). */
export const PAGE_SIZE = { default: 20, max: 100 } as const;

/** Global IDs one `nodes(ids:)` call may look up: as many as the largest page. */
export const MAX_NODES = PAGE_SIZE.max;

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    /** Inputs stay text until the rule that reads them (src/rules/dates.ts) names the field. */
    DateTime: { Input: string; Output: Date };
  };
  AuthScopes: { read: boolean; write: boolean; admin: boolean };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, PrismaPlugin, GlobalIDArgumentsPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Check a subscription's scopes once, when it starts, not on every event it delivers.
    authorizeOnSubscribe: true,
    // Reads are public unless the gateway is configured otherwise (every Query and Subscription
    // field needs `read`: see index.ts); writes need a key.
    authScopes: (ctx) => ({
      read: mayRead(ctx.caller, ctx.publicReads),
      write: hasScope(ctx.caller, 'WRITE'),
      admin: hasScope(ctx.caller, 'ADMIN'),
    }),
    unauthorizedError: (_parent, ctx, info) =>
      new GraphQLError(
        ctx.caller
          ? `The API key "${ctx.caller.name}" (${ctx.caller.scopes.join(', ')}) may not use ${info.parentType.name}.${info.fieldName}: reading needs READ, writing WRITE, and keys, merges and the audit trail's authors ADMIN`
          : `${info.parentType.name}.${info.fieldName} needs an API key: send "Authorization: Bearer <key>"`,
        { extensions: ctx.caller ? { code: 'FORBIDDEN', http: { status: 403 } } : { code: 'UNAUTHENTICATED', http: { status: 401 } } },
      ),
  },
  // Expected write failures (invalid input, not found, conflict) are typed results; see errors.ts.
  errors: {
    defaultTypes: [],
    defaultUnionOptions: { description: 'The result of a write: what was recorded, or (a WriteError) why nothing was.' },
  },

  relay: {
    // Strict: an ID this API could not have issued is the client's error, naming the argument.
    decodeGlobalID: (globalID) => parseGlobalID(globalID),
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false, description: 'The items on this page, each with its cursor.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    cursorFieldOptions: { description: 'Pass as `after` (or `before`) to page from this item.' },
    pageInfoFieldOptions: { description: 'Whether there are more pages, and the cursors to get them.' },
    hasNextPageFieldOptions: { description: 'True when there are more items after this page.' },
    hasPreviousPageFieldOptions: { description: 'True when there are items before this page.' },
    startCursorFieldOptions: { description: 'The cursor of the first item on this page.' },
    endCursorFieldOptions: { description: 'The cursor of the last item on this page: pass it as `after` for the next page.' },
    firstArgOptions: { description: `How many items to return from the start (default ${PAGE_SIZE.default}, at most ${PAGE_SIZE.max}).` },
    afterArgOptions: { description: 'Return items after this cursor (an `endCursor` from an earlier page).' },
    lastArgOptions: { description: `How many items to return from the end (at most ${PAGE_SIZE.max}).` },
    beforeArgOptions: { description: 'Return items before this cursor (a `startCursor` from an earlier page).' },
    idFieldOptions: { description: 'The global ID: stable, opaque, usable with `node(id:)`.' },
    nodeTypeOptions: {
      description: 'Anything with a global ID. Fetch any of them again with `node(id:)`.',
    },
    pageInfoTypeOptions: {
      description: 'Where a page sits in a list: pass `endCursor` as `after` to get the next page.',
    },
    nodeQueryOptions: {
      description: 'Fetches any object by its global ID (the `id` field of any type).',
      args: { id: { description: 'A global ID, as returned in any `id` field.' } },
    },
    nodesQueryOptions: {
      description: `Fetches several objects by their global IDs, in the order given: at most ${MAX_NODES} IDs a call.`,
      // A longer list is refused before its IDs are read (src/http/argument-limits.ts).
      args: { ids: { description: `Global IDs, as returned in \`id\` fields (at most ${MAX_NODES}).`, extensions: { maxItems: MAX_NODES } } },
    },
  },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    defaultConnectionSize: PAGE_SIZE.default,
    maxConnectionSize: PAGE_SIZE.max,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
});

export { Prisma };
