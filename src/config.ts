// Every environment variable the gateway reads, parsed and validated once at start-up.

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize: number }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'memory' };

export interface Config {
  host: string;
  port: number;
  database: DatabaseTarget;
  /** Masks unexpected errors and hides field suggestions. */
  production: boolean;
  /** Load the seed article's data when the database holds no statements yet. */
  seedWhenEmpty: boolean;
  limits: {
    maxDepth: number;
    maxCost: number;
    maxAliases: number;
  };
  /** Report the SQL statements each request ran in `extensions.sqlStatements`. */
  reportSqlStatements: boolean;
  /** Anonymous requests may read; writes always need an API key. */
  publicReads: boolean;
  /** Share the live feed between gateway instances through Redis pub/sub. */
  redisUrl: string | null;
}

export class ConfigError extends Error {
  constructor(variable: string, rule: string) {
    super(`Invalid environment variable ${variable}: ${rule}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

/** `postgres://…` → server, `file:<dir>` → PGlite data directory, `memory:` → throwaway PGlite. */
export function parseDatabaseUrl(raw: string, poolSize = 10): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(raw)) return { kind: 'postgres', url: raw, poolSize };
  if (raw === 'memory:' || raw === 'memory://') return { kind: 'memory' };
  if (raw.startsWith('file:')) {
    const dataDir = raw.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (dataDir === '') throw new ConfigError('DATABASE_URL', 'file: needs a directory, e.g. file:./data/pglite');
    return { kind: 'pglite', dataDir };
  }
  throw new ConfigError(
    'DATABASE_URL',
    `must start with postgres://, postgresql://, file: or be memory:, got "${raw}"`,
  );
}

export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  return {
    host: env.HOST || '0.0.0.0',
    port: integer(env, 'PORT', 4000, 0, 65535),
    database: parseDatabaseUrl(
      env.DATABASE_URL || 'file:./data/pglite',
      integer(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    ),
    production,
    seedWhenEmpty: flag(env, 'SEED_WHEN_EMPTY', true),
    limits: {
      maxDepth: integer(env, 'MAX_QUERY_DEPTH', 12, 1, 100),
      maxCost: integer(env, 'MAX_QUERY_COST', 50_000, 1, 10_000_000),
      maxAliases: integer(env, 'MAX_QUERY_ALIASES', 30, 1, 1000),
    },
    reportSqlStatements: flag(env, 'REPORT_SQL_STATEMENTS', !production),
    publicReads: flag(env, 'PUBLIC_READS', true),
    redisUrl: env.REDIS_URL || null,
  };
}
