// Compiled reads: a query whose every field has an SQL twin (./twins.ts) becomes one SQL
// statement that builds the whole answer as JSON in PostgreSQL (json_build_object, json_agg),
// the way PostGraphile answers, instead of a resolver call per field per object. The answer must
// be the one GraphQL's execution gives, key for key (test/compiled-reads.test.ts compares the
// two on random documents); when any field has no twin, or an argument its twin does not take,
// the whole operation is executed as usual.
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  isEnumType,
  isListType,
  isObjectType,
  isScalarType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { Prisma } from '../generated/prisma/client.js';
import { type Selected, type Selecting, selectedFields, subSelections } from './selection.js';

/** A field or argument no twin covers: the operation is executed as usual. */
export class NotCompiled extends Error {}

/** What a twin gets to build a field's value. */
export interface FieldCall {
  /** The SQL alias of the row the parent object is built from. */
  row: Prisma.Sql;
  /** The field's arguments, coerced as execution coerces them (defaults applied). */
  args: Record<string, unknown>;
  field: GraphQLField<unknown, unknown>;
  /** The type the field belongs to. */
  parentType: GraphQLObjectType;
  /** The field's merged sub-selections. */
  selections: SelectionSetNode[];
  compilation: Compilation;
}

/** An SQL expression giving the field's value as JSON (or as an SQL scalar) for the row `call.row`. */
export type FieldTwin = (call: FieldCall) => Prisma.Sql;

export interface TypeTwin {
  /** Twins of the fields that are not plain columns (`t.expose…` fields are read by themselves). */
  fields?: Record<string, FieldTwin>;
}

/** What graphql-scalars' DateTime answers (`Date#toISOString`), from a `timestamp(3)` column holding UTC. */
export const isoDateTime = (column: Prisma.Sql) => Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Base64 as Node's Buffer writes it: PostgreSQL breaks lines every 76 characters. */
export const base64 = (text: Prisma.Sql) => Prisma.sql`translate(encode(convert_to(${text}, 'UTF8'), 'base64'), E'\\n', '')`;

const quoted = (key: string) => Prisma.raw(`'${key.replaceAll("'", "''")}'`);

/** One compilation's settings and aliases. */
export class Compilation implements Selecting {
  private aliases = 0;

  constructor(
    readonly schema: GraphQLSchema,
    readonly fragments: Record<string, FragmentDefinitionNode>,
    readonly variables: Record<string, unknown>,
    readonly twins: Record<string, TypeTwin>,
    /** The bound of exact counts (src/schema/counts.ts). */
    readonly countExactLimit: number,
  ) {}

  /** A fresh table alias. */
  alias(): Prisma.Sql {
    return Prisma.raw(`r${++this.aliases}`);
  }

  /** The object type `name`, or NotCompiled. */
  objectType(name: string): GraphQLObjectType {
    const type = this.schema.getType(name);
    if (!type || !isObjectType(type)) throw new NotCompiled(`${name} is not an object type`);
    return type;
  }

  /** `json_build_object(…)` of what `selections` ask of a `typeName` built from row `row`. */
  object(typeName: string, row: Prisma.Sql, selections: readonly SelectionSetNode[]): Prisma.Sql {
    const type = this.objectType(typeName);
    return this.shaped(type, selections, (selected) => this.value(type, row, selected));
  }

  /**
   * `json_build_object(…)` of `type` whose fields. values `valueFor` gives: for the types a twin
   * builds itself (a connection, its edges, its page info).
   */
  shaped(type: GraphQLObjectType, selections: readonly SelectionSetNode[], valueFor: (selected: Selected) => Prisma.Sql): Prisma.Sql {
    const selected = selectedFields(this, type, selections);
    if (selected.length === 0) return Prisma.sql`'{}'::json`;
    // json_build_object takes at most 100 arguments.
    if (selected.length > 50) throw new NotCompiled('more than 50 fields in one selection');
    const pairs = selected.map((s) => Prisma.sql`${quoted(s.key)}, ${s.nodes[0]!.name.value === '__typename' ? quoted(type.name) : valueFor(s)}`);
    return Prisma.sql`json_build_object(${Prisma.join(pairs)})`;
  }

  private value(type: GraphQLObjectType, row: Prisma.Sql, selected: Selected): Prisma.Sql {
    const name = selected.nodes[0]!.name.value;
    const field = type.getFields()[name];
    if (!field) throw new NotCompiled(`${type.name}.${name}`);
    const args = getArgumentValues(field, selected.nodes[0]!, this.variables);
    const twin =
      this.twins[type.name]?.fields?.[name] ?? (name === 'id' && type.getInterfaces().some((i) => i.name === 'Node') ? this.twins.Node?.fields?.id : undefined);
    if (twin) return twin({ row, args, field, parentType: type, selections: subSelections(selected), compilation: this });
    const column = (field.extensions as { pothosExposedField?: string } | null)?.pothosExposedField;
    if (!column || Object.keys(args).length > 0) throw new NotCompiled(`${type.name}.${name} has no SQL twin`);
    const named = getNamedType(field.type);
    const sql = Prisma.sql`${row}.${Prisma.raw(`"${column}"`)}`;
    if (named.name === 'DateTime') {
      if (isListType(getNullableType(field.type))) throw new NotCompiled('a list of dates');
      return isoDateTime(sql);
    }
    if (isScalarType(named) || isEnumType(named)) return sql;
    throw new NotCompiled(`${type.name}.${name}: an exposed object`);
  }
}

/** A compiled operation: one statement whose one row's `data` is the answer's `data`, as JSON text. */
export function compileRead(
  schema: GraphQLSchema,
  twins: Record<string, TypeTwin>,
  request: { document: DocumentNode; operationName?: string | null; variables: Record<string, unknown>; countExactLimit: number },
): Prisma.Sql | null {
  const operation = getOperationAST(request.document, request.operationName);
  if (operation?.operation !== 'query') return null;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of request.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  // Coerced as execution coerces them (defaults, enums); variables it refuses are its to word.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables);
  if (coerced.errors) return null;
  const compilation = new Compilation(schema, fragments, coerced.coerced, twins, request.countExactLimit);
  // Nothing to read (`{ __typename }`): execution answers without the database.
  const query = compilation.objectType('Query');
  if (selectedFields(compilation, query, [operation.selectionSet]).every((s) => s.nodes[0]!.name.value === '__typename')) return null;
  try {
    return Prisma.sql`SELECT ${compilation.object('Query', Prisma.raw('query'), [operation.selectionSet])}::text AS data`;
  } catch (error) {
    if (error instanceof NotCompiled) return null;
    throw error;
  }
}
