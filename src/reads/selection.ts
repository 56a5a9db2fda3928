// What a selection set asks of one object type, as GraphQL's execution would see it: fields by
// response key in document order, fragments (named and inline) applied when their type
// condition covers the type, @skip/@include read from the variables, and the sub-selections of
// a key selected twice merged (graphql-js's CollectFields, for the compiled reads).
import {
  type FieldNode,
  type FragmentDefinitionNode,
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type GraphQLObjectType,
  type GraphQLSchema,
  isAbstractType,
  Kind,
  type SelectionSetNode,
} from 'graphql';

export interface Selected {
  /** The response key: the alias, else the field's name. */
  key: string;
  /** Every node selecting that key (their sub-selections merge). */
  nodes: FieldNode[];
}

export interface Selecting {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function included(selecting: Selecting, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, selecting.variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, selecting.variables)?.if !== false;
}

function applies(selecting: Selecting, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (!condition || condition === type.name) return true;
  const conditional = selecting.schema.getType(condition);
  return !!conditional && isAbstractType(conditional) && selecting.schema.isSubType(conditional, type);
}

/** The fields `sets` select on an object of `type`, by response key, in order. */
export function selectedFields(selecting: Selecting, type: GraphQLObjectType, sets: readonly SelectionSetNode[]): Selected[] {
  const byKey = new Map<string, Selected>();
  const visited = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (!included(selecting, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const found = byKey.get(key);
        if (found) found.nodes.push(selection);
        else byKey.set(key, { key, nodes: [selection] });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selecting, selection.typeCondition?.name.value, type)) collect(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = selecting.fragments[name];
        if (visited.has(name) || !fragment) continue;
        visited.add(name);
        if (applies(selecting, fragment.typeCondition.name.value, type)) collect(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) collect(set);
  return [...byKey.values()];
}

/** The sub-selections of every node of a selected key. */
export const subSelections = (selected: Selected): SelectionSetNode[] => selected.nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
