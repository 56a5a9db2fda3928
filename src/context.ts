// Per-request context: the database client, who is calling, the live feed, batch loaders.
import type { Caller } from './auth/keys.js';
import { COUNT_EXACT_LIMIT } from './config.js';
import type { ClaimEventBus } from './events/claim-events.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { createLoaders, type Loaders } from './schema/loaders.js';

export interface Context {
  /** The primary, except in query operations: a read replica there (see src/http/gateway.ts). */
  prisma: PrismaClient;
  loaders: Loaders;
  /** The API key's holder, or null for an anonymous request. */
  caller: Caller | null;
  /** Whether anonymous requests may read. */
  publicReads: boolean;
  events: ClaimEventBus;
  /** COUNT_EXACT_LIMIT: how far a list's `totalCount` is counted exactly (src/schema/counts.ts). */
  countExactLimit: number;
}

/** The database client an operation reads through, with its own batch loaders over it. */
export function readingFrom(prisma: PrismaClient): Pick<Context, 'prisma' | 'loaders'> {
  return { prisma, loaders: createLoaders(prisma) };
}

export function createContext(options: Omit<Context, 'loaders' | 'countExactLimit'> & Partial<Pick<Context, 'countExactLimit'>>): Context {
  return { countExactLimit: COUNT_EXACT_LIMIT, ...options, ...readingFrom(options.prisma) };
}
