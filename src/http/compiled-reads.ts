// Answers a query from one SQL statement when every field it asks for has an SQL twin
// (src/reads/): the same answer as execution, without a resolver call per field per object.
// Anything else — a field without a twin, a mutation, a subscription, @defer/@stream, a caller
// who may not read, a statement that fails for another reason than the database being
// unavailable or stopping it, a compiled answer whose requirement does not hold (a cursor whose
// row is gone) — is executed as usual, which also words every error.
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { BREAK, type DocumentNode, type ExecutionResult, GraphQLError, type GraphQLSchema, visit } from 'graphql';
import { mayRead } from '../auth/keys.js';
import { databaseUnavailability, isStatementTimeout } from '../db/unavailable.js';
import type { Context } from '../context.js';
import type { Prisma } from '../generated/prisma/client.js';
import { compileRead } from '../reads/compile.js';
import { TWINS } from '../reads/twins.js';
import { isRequestTimeout } from './hardening.js';

/** Compilations kept per document, by operation and variables (a document's plan does not change). */
const MAX_PLANS_PER_DOCUMENT = 32;
const plans = new WeakMap<DocumentNode, Map<string, Prisma.Sql | null>>();
const incremental = new WeakMap<DocumentNode, boolean>();

/** Whether a document asks for its answer in parts: that is execution's to deliver. */
function asksForParts(document: DocumentNode): boolean {
  let found = incremental.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      Directive(node) {
        if (node.name.value === 'defer' || node.name.value === 'stream') {
          found = true;
          return BREAK;
        }
      },
    });
    incremental.set(document, found);
  }
  return found;
}

function planOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  countExactLimit: number,
) {
  let byRequest = plans.get(document);
  if (!byRequest) plans.set(document, (byRequest = new Map()));
  const key = `${operationName ?? ''}\u0000${countExactLimit}\u0000${JSON.stringify(variables)}`;
  if (byRequest.has(key)) return byRequest.get(key)!;
  const plan = compileRead(schema, TWINS, { document, operationName, variables, countExactLimit });
  if (byRequest.size >= MAX_PLANS_PER_DOCUMENT) byRequest.delete(byRequest.keys().next().value!);
  byRequest.set(key, plan);
  return plan;
}

/**
 * The answer as PostgreSQL wrote it, sent as it is: parsing it only to write it out again was
 * a third of the compiled path's CPU. yoga writes a result with its own `stringify`; a plugin
 * that reads `data` gets it parsed, and one that changes the result (sets `data`, adds
 * extensions, or makes a new result from it) has it written the usual way.
 */
function answerFromText(text: string): ExecutionResult {
  let parsed: ExecutionResult['data'];
  let replaced = false;
  const answer = {
    get data() {
      parsed ??= JSON.parse(text) as ExecutionResult['data'];
      return parsed;
    },
    set data(data: ExecutionResult['data']) {
      parsed = data;
      replaced = true;
    },
    stringify: (result: ExecutionResult) => (untouched(result) ? `{"data":${text}}` : JSON.stringify(result)),
  };
  const untouched = (result: ExecutionResult) => result === answer && !replaced && Object.keys(answer).length === 2;
  return answer;
}

export function compiledReads(logger: Logger): Plugin<Context> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const document = args.document as DocumentNode;
      if (asksForParts(document)) return;
      setExecuteFn(async (executeArgs) => {
        const context = executeArgs.contextValue as Context;
        if (!mayRead(context.caller, context.publicReads)) return executeFn(executeArgs);
        const variables = (executeArgs.variableValues ?? {}) as Record<string, unknown>;
        let plan: Prisma.Sql | null;
        try {
          plan = planOf(executeArgs.schema, document, executeArgs.operationName, variables, context.countExactLimit);
        } catch (error) {
          // A twin that could not build its SQL: a bug to look at, never the client's 500.
          logger.warn({ err: error, operation: executeArgs.operationName ?? null }, 'compiled read not built; executed field by field instead');
          plan = null;
        }
        if (!plan) return executeFn(executeArgs);
        let text: string | null;
        try {
          const [row] = await context.prisma.$queryRaw<{ data: string | null }[]>(plan);
          text = row!.data;
        } catch (error) {
          // The database unavailable, a statement it stopped, or the request out of time: answered
          // as any field meeting it would be (masking makes it DATABASE_UNAVAILABLE or TIMEOUT),
          // not tried again field by field, which would wait the same wait a second time.
          if (databaseUnavailability(error) || isStatementTimeout(error) || isRequestTimeout(error)) {
            return { data: null, errors: [new GraphQLError((error as Error).message, { originalError: error as Error })] };
          }
          // Anything else is a twin to look at: execution answers, with its own error if any.
          logger.warn({ err: error, operation: executeArgs.operationName ?? null }, 'compiled read failed; executed field by field instead');
          return executeFn(executeArgs);
        }
        // Null: a requirement of the compiled answer did not hold (a cursor whose row is gone).
        return text === null ? executeFn(executeArgs) : answerFromText(text);
      });
    },
  };
}
