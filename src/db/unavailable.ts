// Which errors mean "the database cannot be reached right now" rather than "this request is
// wrong" or "the gateway has a bug": the one list, used by GraphQL's error masking, every HTTP
// route and `/ready`, so an outage answers 503 DATABASE_UNAVAILABLE wherever it is met. Errors
// come wrapped (Prisma's known and unknown request errors, the driver adapter's DriverAdapterError,
// pg's own errors, Node's socket errors), so every layer of an error is looked at.

/**
 * Prisma: can't reach (P1001), timed out (P1002, P1008), connection closed (P1017), no pool
 * connection (P2024), too many connections (P2037); P2028 only when no transaction could start.
 */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);

/** Sockets that were refused, reset, cut or never answered. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exceptions), the server shutting down or starting
 * (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now), a session it ended
 * (57P05 idle session timeout, 25P03 idle-in-transaction timeout), too many connections (53300).
 */
const SQLSTATE = /^(08...|57P0[1235]|25P03|53300)$/;

/** The driver adapter's kinds for the same (@prisma/driver-adapter-utils). */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/** What pg and Prisma say when there is no code to go by. */
const MESSAGES =
  /Can't reach database server|Connection terminated|timeout expired|Query read timeout|Server has closed the connection|the database system is (?:shutting down|starting up|in recovery mode|not yet accepting connections)|terminating connection|too many clients|no answer within/i;

/** Why, in words fit for `/ready` and the logs: what is wrong, never where the database lives. */
export type Unavailability = 'refused' | 'no answer in time' | 'connection lost' | 'shutting down or starting up' | 'too many connections';

/** The error and everything it wraps (cause chains, Prisma's meta.driverAdapterError), nearest first. */
function layers(error: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && found.length < 12) {
    const next = queue.shift();
    if (!next || typeof next !== 'object' || found.includes(next as Record<string, unknown>)) continue;
    const layer = next as Record<string, unknown>;
    found.push(layer);
    queue.push(layer.cause, layer.originalError, (layer.meta as Record<string, unknown> | undefined)?.driverAdapterError);
    if (Array.isArray(layer.errors)) queue.push(...layer.errors); // AggregateError (a refused dual-stack connect)
  }
  return found;
}

/** What one layer of an error says, most specific first; null when it says nothing about the connection. */
function reasonOf(layer: Record<string, unknown>): { reason: Unavailability; specific: boolean } | null {
  const code = typeof layer.code === 'string' ? layer.code : typeof layer.originalCode === 'string' ? layer.originalCode : '';
  const kind = typeof layer.kind === 'string' ? layer.kind : '';
  const message = typeof layer.message === 'string' ? layer.message : '';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'P1001' || kind === 'DatabaseNotReachable') return { reason: 'refused', specific: true };
  if (code === '53300' || code === 'P2037' || kind === 'TooManyConnections' || /too many clients/i.test(message))
    return { reason: 'too many connections', specific: true };
  if (/^57P0[123]$/.test(code) || /the database system is|terminating connection due to administrator/i.test(message))
    return { reason: 'shutting down or starting up', specific: true };
  // P2028 "Unable to start a transaction in the given time": no connection, or BEGIN unanswered.
  if (
    ['ETIMEDOUT', 'P1002', 'P1008', 'P2024'].includes(code) ||
    kind === 'SocketTimeout' ||
    /timeout expired|Query read timeout|no answer within|Unable to start a transaction in the given time/i.test(message)
  ) {
    return { reason: 'no answer in time', specific: true };
  }
  if (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATE.test(code) || ADAPTER_KINDS.has(kind) || MESSAGES.test(message))
    return { reason: 'connection lost', specific: false };
  return null;
}

/**
 * Why the database is unavailable, when `error` says it is; null for any other error. The most
 * specific reason any layer gives wins: an outer "connection lost" often wraps an inner "refused".
 */
export function databaseUnavailability(error: unknown): Unavailability | null {
  const reasons = layers(error)
    .map(reasonOf)
    .filter((found) => found !== null);
  return (reasons.find((found) => found.specific) ?? reasons[0])?.reason ?? null;
}

export const isDatabaseUnavailable = (error: unknown): boolean => databaseUnavailability(error) !== null;

/**
 * The server stopped a statement that ran past `statement_timeout` (57014): the database is
 * there, the request asked too much of it.
 */
export const isStatementTimeout = (error: unknown): boolean =>
  layers(error).some(
    (layer) => layer.code === '57014' || layer.originalCode === '57014' || /canceling statement due to statement timeout/.test(String(layer.message ?? '')),
  );
