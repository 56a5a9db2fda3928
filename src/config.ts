// Every environment variable the gateway reads, parsed and validated once at start-up.

export type DatabaseTarget =
  | {
      kind: 'postgres';
      url: string;
      /** Connections per pool: one pool to the primary and one to each replica. */
      poolSize: number;
      /** The server stops a statement after this long (statement_timeout; 0 or absent: no limit). */
      statementTimeoutMs?: number;
      /** The server ends a session idle inside a transaction this long (0 or absent: no limit). */
      idleInTransactionTimeoutMs?: number;
      /** Read replicas of the primary: query operations and exports read from one of them. */
      replicaUrls?: string[];
    }
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
    /** Objects an answer may hold, estimated before it runs (src/schema/cost.ts). */
    maxCost: number;
    maxAliases: number;
    /** Directives allowed per operation. */
    maxDirectives: number;
    /** Lexical tokens allowed per document. */
    maxTokens: number;
    /** Largest request body in bytes; larger ones are refused with 413 before parsing. */
    maxBodyBytes: number;
    /** Operations allowed in one batched request (a JSON array). */
    maxBatch: number;
    /** A query taking longer than this many milliseconds is stopped (0: no limit). */
    requestTimeoutMs: number;
  };
  /** Requests per window, counted per API key and per client address. */
  rateLimit: {
    perKey: number;
    perIp: number;
    windowSeconds: number;
    /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
    trustProxy: boolean;
  };
  /** Whether introspection (`__schema`, GraphiQL's docs) is served. */
  introspection: boolean;
  /** Only registered (persisted) operations run, except for ADMIN keys. */
  persistedOnly: boolean;
  /** Origins allowed to call the gateway from a browser; empty: same-origin only. */
  corsOrigins: string[];
  /** pino log level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: string;
  /** A bearer token that may read `/metrics` besides ADMIN keys and the local operator (METRICS_TOKEN). */
  metricsToken: string | null;
  /** Where OpenTelemetry traces are sent over OTLP/HTTP; null: no tracing. */
  tracing: { tracesUrl: string; serviceName: string } | null;
  /** Report the SQL statements each request ran in `extensions.sqlStatements`. */
  reportSqlStatements: boolean;
  /** Answer a query from one SQL statement when every field it asks for has an SQL twin (src/reads/). */
  compiledReads: boolean;
  /** Anonymous requests may read; writes always need an API key. */
  publicReads: boolean;
  /** A list's `totalCount` is exact up to this many items; beyond, it says "at least this many". */
  countExactLimit: number;
  /** Share the live feed between gateway instances through Redis pub/sub. */
  redisUrl: string | null;
  /** Whole answers to queries, kept per caller (src/http/response-cache.ts); in Redis when `redisUrl` is set. */
  responseCache: {
    /** How long an answer is served from the cache, in milliseconds; 0 turns the cache off. */
    ttlMs: number;
    /** Prefix of the cache's keys in Redis: deployments sharing one Redis server need one each. */
    keyPrefix: string;
    /**
     * With read replicas: for this long after a write no answer is kept, since a replica may not
     * have the write yet and its answer would be served stale for the whole TTL.
     */
    replicaLagMs: number;
  };
}

/** COUNT_EXACT_LIMIT's default: counting more rows than this costs more than a page does. */
export const COUNT_EXACT_LIMIT = 10_000;

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

/** A comma-separated list of origins (`https://example.org`), or `*` for any. */
function origins(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  const list = raw
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of list) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(name, `must be a comma-separated list of origins such as https://example.org (scheme and host, no path), or *, got "${origin}"`);
    }
  }
  return list;
}

/** A Redis key prefix: letters, digits and `_ . : -`. */
function keyPrefix(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[\w.:-]{1,100}$/.test(raw)) throw new ConfigError(name, `must be 1 to 100 letters, digits, _ . : or -, got "${raw}"`);
  return raw;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(env: Env, name: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return 'info';
  if (!LOG_LEVELS.includes(raw)) throw new ConfigError(name, `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return raw;
}

/** A secret of at least 16 characters, or null when unset. */
function token(env: Env, name: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  if (raw.length < 16 || /\s/.test(raw)) throw new ConfigError(name, 'must be at least 16 characters with no spaces (e.g. `openssl rand -hex 32`)');
  return raw;
}

/**
 * OTLP/HTTP traces: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, or OTEL_EXPORTER_OTLP_ENDPOINT
 * with `/v1/traces` appended (the OpenTelemetry specification's rule). Neither set: no tracing.
 */
function tracing(env: Env): Config['tracing'] {
  const [name, raw] = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
    ? ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT]
    : ['OTEL_EXPORTER_OTLP_ENDPOINT', env.OTEL_EXPORTER_OTLP_ENDPOINT];
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an http:// or https:// URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(name, `must be an http:// or https:// URL, got "${raw}"`);
  const tracesUrl = name === 'OTEL_EXPORTER_OTLP_ENDPOINT' ? `${raw.replace(/\/+$/, '')}/v1/traces` : raw;
  return { tracesUrl, serviceName: env.OTEL_SERVICE_NAME || 'conflict-claims-gateway' };
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
  throw new ConfigError('DATABASE_URL', `must start with postgres://, postgresql://, file: or be memory:, got "${raw}"`);
}

/** DATABASE_REPLICA_URLS: comma-separated PostgreSQL URLs, only beside a PostgreSQL primary. */
function withReplicas(env: Env, database: DatabaseTarget): DatabaseTarget {
  const name = 'DATABASE_REPLICA_URLS';
  const urls = (env[name] ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  if (urls.length === 0) return database;
  if (database.kind !== 'postgres') {
    throw new ConfigError(
      name,
      'read replicas need DATABASE_URL to be a PostgreSQL server (postgres://…); the embedded PGlite database serves one process and has no replicas',
    );
  }
  for (const url of urls) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new ConfigError(name, `must be a comma-separated list of postgres:// or postgresql:// URLs, got "${url.replace(/\/\/[^@/]*@/, '//…@')}"`);
    }
  }
  return { ...database, replicaUrls: urls };
}

/**
 * Time limits on every PostgreSQL connection: no statement the gateway sends takes more than a
 * few seconds at a million figures (docs/benchmark.md), so 15 s stops a runaway statement (and,
 * with the client's own deadline just after it, a frozen server) well before REQUEST_TIMEOUT_MS;
 * a transaction left idle is ended after 10 s (Prisma's own transactions time out after 5 s).
 */
function withTimeLimits(env: Env, database: DatabaseTarget): DatabaseTarget {
  if (database.kind !== 'postgres') return database;
  return {
    ...database,
    statementTimeoutMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 15_000, 0, 3_600_000),
    idleInTransactionTimeoutMs: integer(env, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 10_000, 0, 3_600_000),
  };
}

export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  return {
    host: env.HOST || '0.0.0.0',
    port: integer(env, 'PORT', 4000, 0, 65535),
    database: withTimeLimits(
      env,
      withReplicas(env, parseDatabaseUrl(env.DATABASE_URL || 'file:./data/pglite', integer(env, 'DATABASE_POOL_SIZE', 10, 1, 1000))),
    ),
    production,
    seedWhenEmpty: flag(env, 'SEED_WHEN_EMPTY', true),
    limits: {
      maxDepth: integer(env, 'MAX_QUERY_DEPTH', 12, 1, 100),
      // MAX_QUERY_COMPLEXITY is the older name of the same limit.
      maxCost: integer(env, env.MAX_QUERY_COST ? 'MAX_QUERY_COST' : 'MAX_QUERY_COMPLEXITY', 50_000, 1, 1_000_000_000),
      maxAliases: integer(env, 'MAX_QUERY_ALIASES', 30, 1, 1000),
      maxDirectives: integer(env, 'MAX_QUERY_DIRECTIVES', 50, 1, 1000),
      maxTokens: integer(env, 'MAX_QUERY_TOKENS', 5000, 10, 1_000_000),
      maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 1_048_576, 1024, 1_073_741_824),
      maxBatch: integer(env, 'MAX_BATCH', 10, 1, 1000),
      requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 0, 3_600_000),
    },
    rateLimit: {
      perKey: integer(env, 'RATE_LIMIT_PER_KEY', 600, 1, 10_000_000),
      perIp: integer(env, 'RATE_LIMIT_PER_IP', 300, 1, 10_000_000),
      windowSeconds: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
      trustProxy: flag(env, 'TRUST_PROXY', false),
    },
    introspection: flag(env, 'INTROSPECTION', true),
    persistedOnly: flag(env, 'PERSISTED_ONLY', false),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    logLevel: logLevel(env, 'LOG_LEVEL'),
    metricsToken: token(env, 'METRICS_TOKEN'),
    tracing: tracing(env),
    reportSqlStatements: flag(env, 'REPORT_SQL_STATEMENTS', !production),
    compiledReads: flag(env, 'COMPILED_READS', true),
    publicReads: flag(env, 'PUBLIC_READS', true),
    countExactLimit: integer(env, 'COUNT_EXACT_LIMIT', COUNT_EXACT_LIMIT, 1, 1_000_000_000),
    redisUrl: env.REDIS_URL || null,
    responseCache: {
      ttlMs: integer(env, 'RESPONSE_CACHE_TTL_MS', 0, 0, 86_400_000),
      keyPrefix: keyPrefix(env, 'RESPONSE_CACHE_KEY_PREFIX', 'conflict-claims:response-cache'),
      replicaLagMs: integer(env, 'RESPONSE_CACHE_REPLICA_LAG_MS', 2_000, 0, 3_600_000),
    },
  };
}
