// Full-text search across statements, incidents, organisations, officials and places. The
// ranking and matching live in src/search/; this file decodes arguments and loads the nodes of a
// page with one query per kind, with the selections the request made on each.
import { queryFromInfo } from '@pothos/plugin-prisma';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import { MAX_SEARCH_PAGE, search, SearchInputError, type SearchHit, type SearchKind } from '../search/search.js';
import { INCLUDE_RETRACTED } from '../claims/filters.js';
import { builder, PAGE_SIZE } from './builder.js';
import { forwardPageInfo } from './common.js';
import { TotalCountKind } from './counts.js';
import { Incident } from './incident.js';
import { Official } from './official.js';
import { Organisation } from './organisation.js';
import { Place } from './place.js';
import { Statement } from './statement.js';

const SearchKindEnum = builder.enumType('SearchKind', {
  description: 'What kind of thing a search can find.',
  values: {
    STATEMENT: { description: 'Statements: their words, who spoke (as reported) and notes on verification.' },
    INCIDENT: { description: 'Incidents: their titles and descriptions.' },
    ORGANISATION: { description: 'Organisations: names, aliases ("BLA"), descriptions and notes.' },
    OFFICIAL: { description: 'Officials: names, aliases, descriptions and the titles of their roles ("Interior Minister").' },
    PLACE: { description: 'Places: names, aliases and descriptions.' },
  } satisfies Record<SearchKind, { description: string }>,
});

const typeNames = {
  STATEMENT: 'Statement',
  INCIDENT: 'Incident',
  ORGANISATION: 'Organisation',
  OFFICIAL: 'Official',
  PLACE: 'Place',
} as const satisfies Record<SearchKind, string>;
type TypeName = (typeof typeNames)[SearchKind];

/** Which GraphQL type each loaded row is, for the union's resolveType (rows carry no type name). */
const rowTypes = new WeakMap<object, TypeName>();

const SearchResult = builder.unionType('SearchResult', {
  description: 'Something a search found: a statement, an incident, an organisation, an official or a place.',
  types: [Statement, Incident, Organisation, Official, Place],
  resolveType: (row) => rowTypes.get(row)!,
});

interface SearchHitShape {
  cursor: string;
  rank: number;
  snippet: string | null;
  node: object;
}

const SearchHitRef = builder.objectRef<SearchHitShape>('SearchHit').implement({
  description: 'One thing a search found, with how well it matched and where.',
  fields: (t) => ({
    node: t.field({ type: SearchResult, description: 'What was found.', resolve: (hit) => hit.node as never }),
    rank: t.exposeFloat('rank', {
      description:
        'How well it matched; higher is better, and hits come in this order. 1 or more: every word was found as a whole word; below 1: the last word was found only as the start of a longer word ("bla" in "blast"). Compare ranks within one search only.',
    }),
    snippet: t.exposeString('snippet', {
      nullable: true,
      description: 'A short extract of its text with the matching words between « and »; null when it has no text to show.',
    }),
    cursor: t.exposeString('cursor', { description: 'Pass as `after` to get the hits ranked after this one.' }),
  }),
});

interface SearchConnectionShape {
  edges: SearchHitShape[];
  totalCount: number;
  hasNextPage: boolean;
}

const SearchConnection = builder.objectRef<SearchConnectionShape>('SearchConnection').implement({
  description: 'A page of search hits, best first, with the number of hits across all pages.',
  fields: (t) => ({
    edges: t.field({ type: [SearchHitRef], description: 'The hits on this page, best first.', resolve: (page) => page.edges }),
    totalCount: t.exposeInt('totalCount', { description: 'How many things match, across all pages.' }),
    totalCountKind: t.field({
      type: TotalCountKind,
      description: 'Always EXACT here: every match is ranked to find the best, so every match is counted.',
      resolve: () => 'EXACT' as const,
    }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      description: 'Whether there are more hits: pass `endCursor` as `after` for the next page.',
      resolve: (page) => forwardPageInfo(page.edges, page.hasNextPage, (edge) => edge.cursor),
    }),
  }),
});

/**
 * The rows of one page, one query per kind found, each with the selections the request made on
 * that type under `edges.node` (so nested fields load with it, not per hit).
 */
async function loadNodes(hits: SearchHit[], ctx: Context, info: GraphQLResolveInfo): Promise<Map<string, object>> {
  const nodes = new Map<string, object>();
  const kinds = [...new Set(hits.map((hit) => hit.kind))];
  await Promise.all(
    kinds.map(async (kind) => {
      const typeName = typeNames[kind];
      const ids = hits.filter((hit) => hit.kind === kind).map((hit) => hit.id);
      const query = await queryFromInfo({ context: ctx, info, typeName, path: ['edges', 'node'], awaitSelections: true });
      const args = { ...query, where: { id: { in: ids } } } as never;
      const rows: { id: number }[] = await {
        STATEMENT: () => ctx.prisma.statement.findMany(args),
        INCIDENT: () => ctx.prisma.incident.findMany(args),
        ORGANISATION: () => ctx.prisma.organisation.findMany(args),
        OFFICIAL: () => ctx.prisma.official.findMany(args),
        PLACE: () => ctx.prisma.place.findMany(args),
      }[kind]();
      for (const row of rows) {
        rowTypes.set(row, typeName);
        nodes.set(`${kind}:${row.id}`, row);
      }
    }),
  );
  return nodes;
}

builder.queryFields((t) => ({
  search: t.field({
    type: SearchConnection,
    description:
      'Full-text search over statements, incidents, organisations, officials and places, best match first. Every word must match (in any order, any case; "attacks" also finds "attacked"); the last word also matches as the start of a word ("Balo" finds Balochistan). Names and aliases count most: "bla" finds the Baloch Liberation Army first.',
    args: {
      query: t.arg.string({
        required: true,
        description: 'The words to look for ("BLA", "Gwadar", "Baloch Liberation Army", "interior minister"). Punctuation is ignored.',
      }),
      kinds: t.arg({
        type: [SearchKindEnum],
        required: false,
        description: 'Only find these kinds of thing; leave out to search everything.',
      }),
      first: t.arg.int({
        defaultValue: PAGE_SIZE.default,
        description: `How many hits to return (default ${PAGE_SIZE.default}, at most ${MAX_SEARCH_PAGE}).`,
      }),
      after: t.arg.string({
        required: false,
        description: 'Return the hits ranked after this cursor (an `endCursor` from an earlier page of the same search).',
      }),
      includeRetracted: t.arg.boolean({ required: false, description: INCLUDE_RETRACTED }),
    },
    resolve: async (_root, args, ctx, info) => {
      let page;
      try {
        page = await search(ctx.prisma, {
          query: args.query,
          kinds: args.kinds,
          first: Math.min(args.first ?? PAGE_SIZE.default, MAX_SEARCH_PAGE),
          after: args.after,
          includeRetracted: args.includeRetracted,
        });
      } catch (error) {
        if (error instanceof SearchInputError) {
          throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', argument: error.argument } });
        }
        throw error;
      }
      const nodes = await loadNodes(page.hits, ctx, info);
      const edges = page.hits.flatMap((hit) => {
        const node = nodes.get(`${hit.kind}:${hit.id}`);
        // a row deleted between the search and the load is left out
        return node ? [{ cursor: hit.cursor, rank: hit.rank, snippet: hit.headline, node }] : [];
      });
      return { edges, totalCount: page.totalCount, hasNextPage: page.hasNextPage };
    },
  }),
}));
