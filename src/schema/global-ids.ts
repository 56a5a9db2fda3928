// Global IDs (and cursors) as clients send them, checked strictly before any resolver or database sees them: a
// typo, an ID of a type this API does not have, or a number no row can have is the client's
// mistake (BAD_USER_INPUT, naming the argument as the client wrote it), never an unexpected
// error with a log line per request. The same parser serves GraphQL (Pothos' relay plugin calls
// it for every ID argument) and the HTTP routes' ID parameters. IDs going out are encoded here
// too, without a promise per object.
import SchemaBuilder, {
  BasePlugin,
  completeValue,
  PothosValidationError,
  RootFieldBuilder,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError, isInterfaceType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { decodeId } from '../rules/ids.js';

/** The types that have global IDs (implement `Node`); known once the schema is built. */
let nodeTypes: ReadonlySet<string> | null = null;

export function acceptNodeTypesOf(schema: GraphQLSchema): void {
  const node = schema.getType('Node');
  nodeTypes = new Set(node && isInterfaceType(node) ? schema.getPossibleTypes(node).map((type) => type.name) : []);
}

/** A global ID that is not one: `rule` says why, in words a client can act on. */
export class InvalidGlobalIDError extends GraphQLError {
  constructor(
    readonly value: string,
    readonly rule: string,
  ) {
    super(`Invalid global ID ${JSON.stringify(value)}: ${rule}`, { extensions: { code: 'BAD_USER_INPUT' } });
    this.name = 'InvalidGlobalIDError';
  }
}

/**
 * `{ typename, id }` of a global ID this API could have issued (src/rules/ids.ts reads it) whose
 * type has global IDs here.
 */
export function parseGlobalID(value: string): { typename: string; id: string } {
  const decoded = decodeId(value);
  if (!decoded.ok) throw new InvalidGlobalIDError(value, decoded.rule);
  if (nodeTypes && !nodeTypes.has(decoded.typename)) {
    throw new InvalidGlobalIDError(value, `this API has no ${JSON.stringify(decoded.typename)} objects; use an "id" value exactly as this API returned it`);
  }
  return { typename: decoded.typename, id: String(decoded.id) };
}

const withArticle = (typename: string) => `${/^[AEIOU]/.test(typename) ? 'an' : 'a'} ${typename}`;

/** Where in the arguments the client wrote `value`: `ids[2]`, `filter.place`, `input.incidents[0]`. */
function argumentPath(args: unknown, value: string, path = ''): string | null {
  if (args === value) return path;
  if (Array.isArray(args)) {
    for (const [i, item] of args.entries()) {
      const found = argumentPath(item, value, `${path}[${i}]`);
      if (found !== null) return found;
    }
  } else if (args && typeof args === 'object') {
    for (const [name, item] of Object.entries(args)) {
      const found = argumentPath(item, value, path ? `${path}.${name}` : name);
      if (found !== null) return found;
    }
  }
  return null;
}

/** The relay plugin's own refusal of a well-formed ID of another type ("ID: … is not of type: Place"). */
const WRONG_TYPE = /^ID: (.*) is not of type: (.*)$/;

/** The connection plugins' refusal of a cursor they did not issue ("Invalid cursor: abc"). */
const BAD_CURSOR = /^Invalid cursor: (.*)$/s;

/** A cursor no page returned: BAD_USER_INPUT naming `after` or `before` when the field's own arguments hold it. */
function badCursor(cursor: string, args: unknown): GraphQLError {
  const argument = argumentPath(args, cursor);
  const named = argument === null ? 'Invalid cursor' : `Argument ${argument}: invalid cursor`;
  return new GraphQLError(
    `${named} ${JSON.stringify(cursor)}: pass an \`endCursor\` or \`startCursor\` (or an edge's \`cursor\`) exactly as an earlier page returned it`,
    {
      extensions: { code: 'BAD_USER_INPUT', ...(argument === null ? {} : { argument }) },
    },
  );
}

/** Names the argument in a refused global ID or cursor, as the client wrote it. */
function namingTheArgument(error: unknown, args: unknown): unknown {
  const cursor = error instanceof PothosValidationError ? BAD_CURSOR.exec(error.message) : null;
  if (cursor) return badCursor(cursor[1]!, args);
  let invalid: InvalidGlobalIDError | null = error instanceof InvalidGlobalIDError ? error : null;
  const wrongType = error instanceof PothosValidationError ? WRONG_TYPE.exec(error.message) : null;
  if (wrongType) {
    const { typename } = parseGlobalID(wrongType[1]!);
    const expected = wrongType[2]!.split(', ').map(withArticle).join(' or ');
    invalid = new InvalidGlobalIDError(wrongType[1]!, `this is the ID of ${withArticle(typename)}; expected the ID of ${expected}`);
  }
  if (!invalid) return error;
  const argument = argumentPath(args, invalid.value);
  if (argument === null) return invalid;
  return new GraphQLError(`Argument ${argument}: invalid global ID ${JSON.stringify(invalid.value)}: ${invalid.rule}`, {
    extensions: { code: 'BAD_USER_INPUT', argument },
  });
}

/**
 * Wraps each field whose arguments the relay plugin decodes IDs in (its argument mappers), outside
 * that mapping, so an ID refused there comes back naming its argument. Other fields, the nested
 * ones of every answer among them, run unwrapped.
 */
export class GlobalIDArgumentsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (!resolver || fieldConfig.argMappers.length === 0) return resolver;
    return (parent, args, context, info) => {
      try {
        const result = resolver(parent, args, context, info) as unknown;
        return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(namingTheArgument(error, args))) : result;
      } catch (error) {
        throw namingTheArgument(error, args);
      }
    };
  }
}

// ---------------------------------------------------------------------------------------------
// IDs going out

type Resolver = (parent: unknown, args: object, context: object, info: unknown) => unknown;
interface IdFieldBuilder {
  builder: PothosSchemaTypes.SchemaBuilder<SchemaTypes>;
  field(options: object): unknown;
}

/** The ID of `{ type, id }` as the relay plugin writes it; a string or nothing passes as it is. */
function encoded(builder: IdFieldBuilder['builder'], item: unknown, context: object): unknown {
  if (!item || typeof item !== 'object') return item;
  const { type, id } = item as { type: Parameters<typeof builder.configStore.getTypeConfig>[0]; id: unknown };
  const typename = builder.configStore.getTypeConfig(type).name;
  const encode = builder.options.relay?.encodeGlobalID;
  return encode ? encode(typename, String(id), context as SchemaTypes['Context']) : encodeGlobalID(typename, String(id));
}

/**
 * `t.globalID` (every node's `id` field is one) with the relay plugin's output, but synchronous
 * when its resolver is: the plugin's own is `async`, which made every object of every answer
 * wait for a promise (the nested page's execution: 23.7 → 17.5 ms of CPU).
 */
const fieldBuilder = RootFieldBuilder.prototype as unknown as { globalID: (this: IdFieldBuilder, options: { resolve: Resolver }) => unknown };
fieldBuilder.globalID = function globalID({ resolve, ...options }) {
  return this.field({
    ...options,
    type: 'ID',
    resolve: (parent: unknown, args: object, context: object, info: unknown) =>
      completeValue(resolve(parent, args, context, info), (item) => encoded(this.builder, item, context)),
  });
};

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      globalIDArguments: GlobalIDArgumentsPlugin<Types>;
    }
  }
}

const pluginName = 'globalIDArguments';
SchemaBuilder.registerPlugin(pluginName, GlobalIDArgumentsPlugin);
export default pluginName;
