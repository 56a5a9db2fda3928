// Compiled reads: a query whose every field has an SQL twin (./twins.ts) becomes one SQL
// statement that builds the whole answer as JSON in PostgreSQL, the way PostGraphile answers,
// instead of a resolver call per field per object. The answer must be the one GraphQL's
// execution gives, key for key (test/compiled-reads.test.ts compares the two on random
// documents); when any field has no twin, or an argument its twin does not take, the whole
// operation is executed as usual.
//
// The JSON is written as text (`'{"id" : ' || … || '}'`, string_agg), in json_build_object's and
// json_agg's own layout, so the answer keeps its bytes: json_build_object looks up each key's and
// each value's type in the catalog on every row, which made building the objects most of a
// nested page's executor time (2.5x the text's, on PGlite and on the server).
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
  type GraphQLOutputType,
  type GraphQLSchema,
  isCompositeType,
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

/** Texts no JSON escape changes (base64, ISO dates): written between quotes, not through to_json. */
const plainStrings = new WeakSet<Prisma.Sql>();

/** Marks `text` as a string JSON needs no escape in. */
export function plainString(text: Prisma.Sql): Prisma.Sql {
  plainStrings.add(text);
  return text;
}

/** Whether `text` was marked a string JSON needs no escape in. */
export const isPlainString = (text: Prisma.Sql) => plainStrings.has(text);

/** What graphql-scalars' DateTime answers (`Date#toISOString`), from a `timestamp(3)` column holding UTC. */
export const isoDateTime = (column: Prisma.Sql) => plainString(Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * Base64 as Node's Buffer writes it, of a text of at most 57 ASCII bytes without a backslash
 * (a type's name, `:`, integers): PostgreSQL's encode breaks lines only after 76 characters (57
 * bytes), and `::bytea` reads such a text as its bytes. translate and convert_to, needed for
 * any other text, were a tenth of a nested page's executor time.
 */
export const base64 = (text: Prisma.Sql) => plainString(Prisma.sql`encode((${text})::bytea, 'base64')`);

const quoted = (text: string) => Prisma.raw(`'${text.replaceAll("'", "''")}'`);

/**
 * The JSON text of `value`, of GraphQL type `type`: what json_build_object writes for it, `null`
 * for NULL. Objects and lists of them are JSON text already (built here); enum labels (GraphQL
 * names) and plain strings need only their quotes; other values go through to_json, the
 * conversion json_build_object makes.
 */
function jsonValue(type: GraphQLOutputType, value: Prisma.Sql): Prisma.Sql {
  const named = getNamedType(type);
  let text: Prisma.Sql;
  if (isCompositeType(named)) text = value;
  else if (isListType(getNullableType(type))) text = Prisma.sql`to_json(${value})::text`;
  else if (isEnumType(named) || isPlainString(value)) text = Prisma.sql`'"' || ${value} || '"'`;
  else if (named.name === 'Int' || named.name === 'Boolean') text = Prisma.sql`(${value})::text`;
  else text = Prisma.sql`to_json(${value})::text`;
  return Prisma.sql`coalesce(${text}, 'null')`;
}

/** json_agg's array of `element` (JSON text) over the rows aggregated, in `order`, `[]` for none. */
export function jsonArray(element: Prisma.Sql, order: Prisma.Sql, filter: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`coalesce('[' || string_agg(${element}, ', ' ORDER BY ${order})${filter} || ']', '[]')`;
}

/** json_build_array's array of `elements` (JSON text, or NULL for null). */
export function jsonList(elements: Prisma.Sql[]): Prisma.Sql {
  if (elements.length === 0) return Prisma.sql`'[]'::text`;
  return Prisma.sql`('[' || ${Prisma.join(
    elements.map((element) => Prisma.sql`coalesce(${element}, 'null')`),
    ` || ', ' || `,
  )} || ']')`;
}

/** One compilation's settings and aliases. */
export class Compilation implements Selecting {
  private aliases = 0;
  /** What must hold for the compiled answer to be the answer (see `require`). */
  readonly requirements: Prisma.Sql[] = [];

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

  /**
   * A condition the compiled answer rests on, checked when the statement runs: when it does not
   * hold (a cursor whose row is gone), the statement answers null and execution answers instead,
   * wording its error.
   */
  require(condition: Prisma.Sql): void {
    this.requirements.push(condition);
  }

  /** The object type `name`, or NotCompiled. */
  objectType(name: string): GraphQLObjectType {
    const type = this.schema.getType(name);
    if (!type || !isObjectType(type)) throw new NotCompiled(`${name} is not an object type`);
    return type;
  }

  /** The JSON text of what `selections` ask of a `typeName` built from row `row`. */
  object(typeName: string, row: Prisma.Sql, selections: readonly SelectionSetNode[]): Prisma.Sql {
    const type = this.objectType(typeName);
    return this.shaped(type, selections, (selected) => this.value(type, row, selected));
  }

  /**
   * The JSON text of `type` whose fields' values `valueFor` gives: for the types a twin builds
   * itself (a connection, its edges, its page info). Laid out as json_build_object lays it out.
   */
  shaped(type: GraphQLObjectType, selections: readonly SelectionSetNode[], valueFor: (selected: Selected) => Prisma.Sql): Prisma.Sql {
    // Constant runs of the text (braces, keys, __typename) joined, values between them.
    const pieces: Prisma.Sql[] = [];
    let constant = '{';
    for (const [i, s] of selectedFields(this, type, selections).entries()) {
      constant += `${i === 0 ? '' : ', '}${JSON.stringify(s.key)} : `;
      if (s.nodes[0]!.name.value === '__typename') {
        constant += JSON.stringify(type.name);
        continue;
      }
      const value = valueFor(s);
      const field = type.getFields()[s.nodes[0]!.name.value];
      if (!field) throw new NotCompiled(`${type.name}.${s.nodes[0]!.name.value}`);
      pieces.push(quoted(constant), jsonValue(field.type, value));
      constant = '';
    }
    pieces.push(quoted(`${constant}}`));
    return Prisma.sql`(${pieces[0]!}::text${pieces.length > 1 ? Prisma.sql` || ${Prisma.join(pieces.slice(1), ' || ')}` : Prisma.empty})`;
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

/**
 * A compiled operation: one statement whose one row's `data` is the answer's `data`, as JSON
 * text, or null when a requirement of the compilation does not hold (then execution answers).
 */
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
    const answer = compilation.object('Query', Prisma.raw('query'), [operation.selectionSet]);
    if (compilation.requirements.length === 0) return Prisma.sql`SELECT ${answer}::text AS data`;
    return Prisma.sql`SELECT CASE WHEN ${Prisma.join(compilation.requirements, ' AND ')} THEN ${answer} END::text AS data`;
  } catch (error) {
    if (error instanceof NotCompiled) return null;
    throw error;
  }
}
