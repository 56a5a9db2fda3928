// What a query costs: the number of objects its answer can hold, estimated before anything runs
// (the gateway refuses one above MAX_QUERY_COST: src/http/query-limits.ts). A record (an object
// with a global ID: a statement, a figure, a place) counts 1, and so does every item of a list;
// a value inside a record (a figure's quantity, an estimate's bounds) and scalars count nothing
// of their own. What is selected under a list counts once per item it can return:
// - a connection: its page size (`first`/`last`, the default page when neither is given, never
//   above the maximum), no more than EXPECTED_ROWS allows where the data holds fewer;
// - a plain list: EXPECTED_ROWS for the field (what the data can hold: a statement claims a few
//   figures, a source chain has a few links), DEFAULT_LIST_ROWS when the table does not name it;
// - `nodes(ids:)`: the number of IDs.
// A connection's query and its `totalCount` count 1 each; edges and `pageInfo` are not objects
// of their own. Every item of a list argument counts 1 (a value to match, an ID to look up).
// Where fragments on a union or interface ask different things of each kind, the costliest kind
// counts. Counted with the variables' values, since page sizes come from variables.
import {
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { PAGE_SIZE } from './builder.js';

/**
 * Items a list can hold at most, by what the data can hold (`Type.field`, or `*.field` for every
 * type): generous upper bounds of the seed and of ordinary reporting (the seed's largest is in
 * brackets), not limits the resolvers enforce. A connection named here takes the smaller of this
 * and its page size.
 */
export const EXPECTED_ROWS: Readonly<Record<string, number>> = {
  'Statement.figures': 5, // figures one statement claims (3)
  'Statement.sourceChain': 3, // sources that carried it, reporter to outlet (3)
  'Statement.incidents': 3, // (2)
  'Figure.breakdown': 5, // (3)
  'Figure.revisionHistory': 3, // a figure and the ones it revised
  'Figure.revisionTimeline': 3,
  'Incident.places': 5, // (4)
  'Incident.subIncidents': 10,
  'Incident.claimantFigures': 10, // claimants who gave figures for one incident
  'Incident.claimComparisons': 10,
  'Incident.participants': 10,
  'Incident.statements': 50, // (5)
  'Incident.figures': 50, // (5)
  'ClaimantFigures.figures': 5,
  'ClaimComparison.positions': 10,
  'ClaimantPosition.figures': 5,
  'ClaimantPosition.impliedBounds': 3,
  'Estimate.used': 10,
  'Estimate.excluded': 10,
  'Estimate.impliedBounds': 3,
  'FigureTotal.impliedBounds': 3,
  'Official.roles': 5,
  'Official.participations': 20,
  'Organisation.children': 20,
  'Organisation.members': 50,
  'Organisation.participations': 50,
  'Organisation.countedInFigures': 100,
  'Organisation.publishedSources': 100,
  'Place.children': 50,
  'Place.organisations': 20,
  'Query.figureTotals': 50, // one row per group (claimant, side, metric)
  'Query.apiKeys': 100,
  '*.history': 10, // edits of one record
};

/** Items of a plain list the table does not name. */
export const DEFAULT_LIST_ROWS = 10;

/** How many items the list arguments hold, in input objects too (`filter: { metrics: [...] }`). */
export function listArgumentItems(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + 1 + listArgumentItems(item), 0);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.values(value).reduce((sum: number, item) => sum + listArgumentItems(item), 0);
  }
  return 0;
}

const isList = (type: GraphQLOutputType): boolean => isListType(isNonNullType(type) ? type.ofType : type);

/** A Relay connection: an object with `edges` and `pageInfo`. */
const isConnection = (type: GraphQLNamedType): type is GraphQLObjectType => isObjectType(type) && 'edges' in type.getFields() && 'pageInfo' in type.getFields();

/** An item of a connection's `edges`: its `node` and `cursor`. */
const isEdge = (type: GraphQLObjectType): boolean => 'node' in type.getFields() && 'cursor' in type.getFields();

function expectedRows(parent: string, field: string): number | undefined {
  return EXPECTED_ROWS[`${parent}.${field}`] ?? EXPECTED_ROWS[`*.${field}`];
}

interface Counting {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** Each selection set's cost on each type, counted once however often a fragment is spread. */
  memo: WeakMap<SelectionSetNode, Map<string, number>>;
}

/** Items a list or connection field returns, by its arguments and EXPECTED_ROWS. */
function itemsOf(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  if (parent.name === 'Query' && field.name === 'nodes') return Array.isArray(args.ids) ? args.ids.length : 0;
  const expected = expectedRows(parent.name, field.name);
  if (isConnection(getNamedType(field.type))) {
    const asked = [args.first, args.last].find((n): n is number => typeof n === 'number');
    const page = Math.min(Math.max(asked ?? PAGE_SIZE.default, 0), PAGE_SIZE.max);
    return Math.min(page, expected ?? page);
  }
  return expected ?? DEFAULT_LIST_ROWS;
}

/** What `selectionSet` costs on the concrete type `type`; `page` is the items of the connection it selects from. */
function selectionCost(counting: Counting, selectionSet: SelectionSetNode, type: GraphQLObjectType, page: number): number {
  const key = `${type.name}:${page}`;
  const known = counting.memo.get(selectionSet)?.get(key);
  if (known !== undefined) return known;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      cost += fieldCost(counting, selection, type, page);
      continue;
    }
    const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? counting.fragments[selection.name.value] : selection;
    if (!fragment) continue;
    const condition = fragment.typeCondition ? counting.schema.getType(fragment.typeCondition.name.value) : type;
    const applies = condition === type || (condition && isAbstractType(condition) && counting.schema.isSubType(condition, type));
    if (applies) cost += selectionCost(counting, fragment.selectionSet, type, page);
  }
  if (!counting.memo.has(selectionSet)) counting.memo.set(selectionSet, new Map());
  counting.memo.get(selectionSet)!.set(key, cost);
  return cost;
}

/** A record of its own: a type with a global ID. */
const isRecord = (type: GraphQLObjectType): boolean => type.getInterfaces().some((face) => face.name === 'Node');

/**
 * What one object selected with `selectionSet` costs, itself (1 as a list item or a record)
 * and its selection; on a union or an interface, the costliest kind it can be.
 */
function objectCost(counting: Counting, selectionSet: SelectionSetNode, type: GraphQLNamedType, page: number, listItem: boolean): number {
  const kinds = isObjectType(type) ? [type] : isAbstractType(type) ? counting.schema.getPossibleTypes(type) : [];
  return Math.max(0, ...kinds.map((kind) => (listItem || isRecord(kind) ? 1 : 0) + selectionCost(counting, selectionSet, kind, page)));
}

function fieldCost(counting: Counting, node: FieldNode, parent: GraphQLObjectType, page: number): number {
  const field = parent.getFields()[node.name.value];
  if (!field) return 0; // __typename, and introspection, which the schema answers from memory
  let args: Record<string, unknown> = {};
  try {
    args = getArgumentValues(field, node, counting.variables);
  } catch {
    // execution reports what is wrong with the arguments
  }
  const cost = listArgumentItems(args);
  const named = getNamedType(field.type);
  if (isLeafType(named)) return cost + (field.name === 'totalCount' ? 1 : 0);
  const selection = node.selectionSet;
  if (!selection) return cost;
  // Inside a connection: its items are on `edges` (each edge holds one node, counted there) or `nodes`.
  if (isConnection(parent) && field.name === 'edges') return cost + page * selectionCost(counting, selection, named as GraphQLObjectType, 0);
  if (isConnection(parent) && field.name === 'nodes') return cost + page * objectCost(counting, selection, named, 0, true);
  if (isConnection(named)) return cost + 1 + selectionCost(counting, selection, named, itemsOf(parent, field, args));
  if (isList(field.type)) return cost + itemsOf(parent, field, args) * objectCost(counting, selection, named, 0, true);
  // An edge's node is the item of its connection's page.
  return cost + objectCost(counting, selection, named, 0, isEdge(parent) && field.name === 'node');
}

/** What `operation` (with the fragments of `document`) costs with these variable values. */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return selectionCost({ schema, fragments, variables, memo: new WeakMap() }, operation.selectionSet, root, 0);
}
