// Counts the SQL statements each GraphQL request sends to the database, so tests and the
// benchmark can assert that a nested query costs a bounded number of statements.
// The count lives in an AsyncLocalStorage scope opened per request; the driver adapter is
// wrapped so that every statement Prisma sends (inside transactions too) is counted.
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQueryable,
} from '@prisma/driver-adapter-utils';

export interface SqlStatementLog {
  count: number;
  statements: string[];
}

const scope = new AsyncLocalStorage<SqlStatementLog>();

export function withSqlStatementLog<T>(log: SqlStatementLog, run: () => T): T {
  return scope.run(log, run);
}

function record(sql: string) {
  const log = scope.getStore();
  if (!log) return;
  log.count++;
  log.statements.push(sql);
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

export function countingAdapterFactory(
  factory: SqlMigrationAwareDriverAdapterFactory,
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async (): Promise<SqlDriverAdapter> => counted(await factory.connect()),
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
