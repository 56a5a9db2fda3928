// The twin of `search` (src/schema/search.ts): search's own ranked statement
// (src/search/search.ts) read as a connection, for compiled reads (./twins.ts).
import { getNamedType } from 'graphql';
import { Prisma } from '../generated/prisma/client.js';
import { PAGE_SIZE } from '../schema/builder.js';
import { MAX_SEARCH_PAGE, type SearchArgs, SearchInputError, type SearchKind, searchSql } from '../search/search.js';
import { type FieldCall, jsonArray, NotCompiled } from './compile.js';
import { subSelections } from './selection.js';
import { one, pageInfo, TABLES } from './shapes.js';

/** The GraphQL type of each kind a search finds. */
const SEARCH_RESULT_TYPES: Record<SearchKind, string> = {
  STATEMENT: 'Statement',
  INCIDENT: 'Incident',
  ORGANISATION: 'Organisation',
  OFFICIAL: 'Official',
  PLACE: 'Place',
};

/**
 * `search`: its one statement (src/search/search.ts, ranked and paged there) read as a
 * connection, each hit's node built from its row.
 */
export function searchConnection(call: FieldCall): Prisma.Sql {
  const first = Math.min((call.args.first as number | null) ?? PAGE_SIZE.default, MAX_SEARCH_PAGE);
  let hits: Prisma.Sql;
  try {
    hits = searchSql({ ...(call.args as Omit<SearchArgs, 'first'>), first });
  } catch (error) {
    if (error instanceof SearchInputError) throw new NotCompiled('a search execution refuses: it words the error');
    throw error;
  }
  const { compilation } = call;
  const h = compilation.alias();
  const fields = compilation.objectType('SearchConnection').getFields();
  const hitType = compilation.objectType(getNamedType(fields.edges!.type).name);
  const pageInfoType = compilation.objectType(getNamedType(fields.pageInfo!.type).name);
  const onPage = Prisma.sql`${h}.kind IS NOT NULL AND ${h}.n <= ${first}::int`;
  const order = Prisma.sql`${h}.n`;
  const cursors = Prisma.sql`(array_agg(${h}.cursor ORDER BY ${order}) FILTER (WHERE ${onPage}))`;
  const value = compilation.shaped(compilation.objectType('SearchConnection'), call.selections, (selected) => {
    switch (selected.nodes[0]!.name.value) {
      case 'totalCount':
        return Prisma.sql`max(${h}.total)`;
      case 'totalCountKind':
        return Prisma.sql`'EXACT'`;
      case 'edges': {
        const hit = compilation.shaped(hitType, subSelections(selected), (hitField) => {
          switch (hitField.nodes[0]!.name.value) {
            case 'rank':
              return Prisma.sql`${h}.rank`;
            case 'snippet':
              return Prisma.sql`${h}.headline`;
            case 'cursor':
              return Prisma.sql`${h}.cursor`;
            case 'node': {
              const cases = Object.entries(SEARCH_RESULT_TYPES).map(([kind, typeName]) => {
                const r = compilation.alias();
                const node = one({ ...call, selections: subSelections(hitField) }, typeName, r, Prisma.sql`${TABLES[typeName]!} ${r} WHERE ${r}.id = ${h}.id`);
                return Prisma.sql`WHEN ${kind} THEN ${node}`;
              });
              return Prisma.sql`CASE ${h}.kind ${Prisma.join(cases, ' ')} END`;
            }
            default:
              throw new NotCompiled(`SearchHit.${hitField.nodes[0]!.name.value}`);
          }
        });
        return jsonArray(hit, order, Prisma.sql` FILTER (WHERE ${onPage})`);
      }
      case 'pageInfo':
        return pageInfo(call, pageInfoType, selected, {
          hasNextPage: () => Prisma.sql`count(*) FILTER (WHERE ${h}.kind IS NOT NULL) > ${first}::int`,
          hasPreviousPage: () => Prisma.sql`false`,
          startCursor: () => Prisma.sql`${cursors}[1]`,
          endCursor: () => Prisma.sql`${cursors}[array_length(${cursors}, 1)]`,
        });
      default:
        throw new NotCompiled(`SearchConnection.${selected.nodes[0]!.name.value}`);
    }
  });
  // One row whatever is asked (GROUP BY ()), even a selection without an aggregate.
  return Prisma.sql`(SELECT ${value} FROM (
    SELECT hits.*, row_number() OVER (ORDER BY hits.rank DESC, hits.kind, hits.id) AS n FROM (${hits}) hits
  ) ${h} GROUP BY ())`;
}
