// What one request may ask for, each refused before anything runs with its own code and the
// status ERROR_CODES gives it (400, or 413 for a batch): depth, aliases, directives and tokens
// (graphql-armor, their refusals re-worded: theirs begin "Syntax Error:" and carry no code), the
// operations in a batch, variables that do not fit their types, list arguments over their
// maximum or unstorable text (argument-limits.ts), and the cost: the objects the answer can hold (src/schema/cost.ts).
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import {
  getOperationAST,
  getVariableValues,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type ValidationContext,
  type VariableDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { queryCost } from '../schema/cost.js';
import { refusal, type ErrorCodeName } from './error-codes.js';
import { argumentOverLimit } from './argument-limits.js';

/** graphql-armor's count from its message ("… exceeded, found 14."), or null when it gives none. */
const found = (error: GraphQLError): number | null => {
  const match = /found (\d+)/.exec(error.message);
  return match ? Number(match[1]) : null;
};

/** An armor plugin's options that report `code` (with `say`'s words) instead of throwing its own error. */
function reporting(code: ErrorCodeName, limit: number, say: (count: number | null) => string) {
  return {
    n: limit,
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const count = found(error);
        const reported = refusal(code, say(count), { extensions: { limit, ...(count === null ? {} : { found: count }) } });
        // The token count is taken while parsing, with no validation context: its refusal is thrown.
        if (!context) throw reported;
        context.reportError(reported);
      },
    ],
  };
}

/** Depth, aliases, directives and tokens per operation. */
export function documentLimits(limits: Config['limits']): Plugin[] {
  return [
    maxDepthPlugin({
      flattenFragments: true,
      ...reporting(
        'QUERY_TOO_DEEP',
        limits.maxDepth,
        (n) =>
          `The query nests ${n} selections deep; at most ${limits.maxDepth} are allowed (MAX_QUERY_DEPTH): select fewer nested objects, or ask in two queries`,
      ),
    }),
    maxAliasesPlugin(
      reporting(
        'TOO_MANY_ALIASES',
        limits.maxAliases,
        (n) =>
          `The query has ${n} aliases; at most ${limits.maxAliases} are allowed (MAX_QUERY_ALIASES): ask for several items with one list field (\`nodes(ids:)\`, a filter) instead`,
      ),
    ),
    maxDirectivesPlugin(
      reporting(
        'TOO_MANY_DIRECTIVES',
        limits.maxDirectives,
        (n) => `The query has ${n} directives; at most ${limits.maxDirectives} are allowed (MAX_QUERY_DIRECTIVES)`,
      ),
    ),
    maxTokensPlugin(
      reporting(
        'TOO_MANY_TOKENS',
        limits.maxTokens,
        () => `The document has more than ${limits.maxTokens} tokens (MAX_QUERY_TOKENS): send a shorter document, or register it as a persisted operation`,
      ),
    ),
  ];
}

/** A batch (a JSON array of operations) holds at most `max`. Ahead of yoga's own check, which says it with no code of ours. */
export function batchLimit(max: number): Plugin {
  return {
    onRequestParse: () => ({
      onRequestParseDone({ requestParserResult }) {
        if (Array.isArray(requestParserResult) && requestParserResult.length > max) {
          throw refusal(
            'BATCH_TOO_LARGE',
            `A batch holds at most ${max} operations (MAX_BATCH), this one ${requestParserResult.length}: send the rest in another request`,
            {
              extensions: { limit: max, found: requestParserResult.length },
            },
          );
        }
      },
    }),
  };
}

const variableName = (error: GraphQLError): string | undefined => (error.nodes?.[0] as VariableDefinitionNode | undefined)?.variable?.name.value;

interface OperationArgs {
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: unknown;
}

/** The refusals of an operation before it runs: list sizes, then variables, then the cost. */
function refusals(schema: GraphQLSchema, maxCost: number, args: OperationArgs): GraphQLError[] {
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation) return []; // execution says which operation is missing
  const raw = (args.variableValues ?? {}) as Record<string, unknown>;
  // Counted first: the other checks read every item of every list.
  const tooLong = argumentOverLimit(schema, args.document, raw);
  if (tooLong) return [tooLong];
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], raw, { maxErrors: 20 });
  if (variables.errors) {
    return variables.errors.map((error) =>
      refusal('BAD_USER_INPUT', error.message, { nodes: error.nodes, extensions: variableName(error) ? { variable: variableName(error) } : {} }),
    );
  }
  const cost = queryCost(schema, args.document, operation, variables.coerced);
  if (cost <= maxCost) return [];
  return [
    refusal(
      'QUERY_TOO_COSTLY',
      `This query can return about ${cost} objects; at most ${maxCost} are allowed (MAX_QUERY_COST). Each list multiplies what is selected under it by its page size (\`first\`/\`last\`, default 20) or by what the data holds (a statement's figures count 10): ask for smaller pages or fewer nested lists`,
      { extensions: { cost, limit: maxCost } },
    ),
  ];
}

/** Refuses, before it runs, an operation whose lists, variables or cost are over their limits. */
export function operationLimits(schema: GraphQLSchema, maxCost: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = refusals(schema, maxCost, args);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const errors = refusals(schema, maxCost, args);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}
