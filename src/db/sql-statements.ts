// Counts the SQL statements each GraphQL request sends to the database, so tests and the
// benchmark can assert that a nested query costs a bounded number of statements, and the access
// log can say what each request cost. The counts live in AsyncLocalStorage scopes (one for the
// request, one inside it for each operation's execution); the driver adapter is wrapped so that
// every statement Prisma sends (inside transactions too) is counted in every enclosing scope.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQueryable } from '@prisma/driver-adapter-utils';

export interface SqlStatementCount {
  count: number;
}

export interface SqlStatementLog extends SqlStatementCount {
  statements: string[];
}

const scope = new AsyncLocalStorage<readonly (SqlStatementCount | SqlStatementLog)[]>();

/** Runs `run` counting its statements in `log` (and in the scopes around it); a log also keeps their text. */
export function withSqlStatementLog<T>(log: SqlStatementCount | SqlStatementLog, run: () => T): T {
  return scope.run([...(scope.getStore() ?? []), log], run);
}

function record(sql: string) {
  for (const log of scope.getStore() ?? []) {
    log.count++;
    if ('statements' in log) log.statements.push(sql);
  }
}

function counted<Q extends SqlQueryable>(queryable: Q): Q {
  return new Proxy(queryable, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'queryRaw' || property === 'executeRaw') {
        return (query: { sql: string }) => {
          record(query.sql);
          return value.call(target, query);
        };
      }
      if (property === 'startTransaction') {
        return async (...args: unknown[]) => counted(await value.apply(target, args));
      }
      return value.bind(target);
    },
  });
}

export function countingAdapterFactory(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async (): Promise<SqlDriverAdapter> => counted(await factory.connect()),
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
