// The GraphQL schema: the builder plus every concept file, printed to schema.graphql.
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { isObjectType, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import { acceptNodeTypesOf } from './global-ids.js';
import './common.js';
import './counts.js';
import './place.js';
import './organisation.js';
import './official.js';
import './source.js';
import './claimant.js';
import './incident.js';
import './statement.js';
import './figure.js';
import './search.js';
import './comparison.js';
import './write-errors.js';
import './claim-writes.js';
import './entity-writes.js';
import './api-key.js';
import './change.js';
import './claim-events.js';
import './totals.js';
import './chart.js';
import './persisted-operation.js';
import './import.js';
import './external-id.js';
import './draft.js';

builder.queryType({
  description:
    'Start here. Lists (`incidents`, `statements`, `figures`, ...) take a `filter` and page with `first`/`after`. Any object can be fetched again with `node(id:)`.',
  // Every field, `node` and `nodes` included, reads: with PUBLIC_READS=false only a key with READ may.
  authScopes: { read: true },
});

export const schema = withIncrementalDelivery(describeConnectionPlumbing(builder.toSchema()));
acceptNodeTypesOf(schema);

/**
 * Connection and edge types are generated per list field, and their `totalCount` field has no
 * option for a description: give them one here so GraphiQL explains every type.
 */
function describeConnectionPlumbing(built: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(built.getTypeMap())) {
    if (!isObjectType(type)) continue;
    if (!type.description && type.name.endsWith('Connection')) type.description = 'A page of a list, with its total size.';
    if (!type.description && type.name.endsWith('ConnectionEdge')) type.description = 'An item in a list, with its cursor.';
    const totalCount = type.getFields().totalCount;
    if (totalCount && !totalCount.description)
      totalCount.description = 'How many items the whole list holds, across all pages: exactly, or at least this many when `totalCountKind` is AT_LEAST.';
  }
  return built;
}

/**
 * The schema with `@defer` and `@stream` declared, as the gateway's defer-stream plugin declares
 * them (its own definitions, taken from it): so that schema.graphql shows them to clients'
 * code generators, and the plugin, finding them, serves this very schema object, the one the
 * list limits, the cost rule and the incident pages read.
 */
function withIncrementalDelivery(built: GraphQLSchema): GraphQLSchema {
  let declared = built;
  const declare = useDeferStream().onSchemaChange as (payload: { schema: GraphQLSchema; replaceSchema: (schema: GraphQLSchema) => void }) => void;
  declare({ schema: built, replaceSchema: (schema) => (declared = schema) });
  return declared;
}

/** The schema as SDL, sorted so that the committed file only changes when the schema does. */
export function printSortedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
