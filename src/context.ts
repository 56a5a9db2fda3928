// Per-request context: the database client, who is calling, the live feed, batch loaders.
import type { Caller } from './auth/keys.js';
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
}

/** The database client an operation reads through, with its own batch loaders over it. */
export function readingFrom(prisma: PrismaClient): Pick<Context, 'prisma' | 'loaders'> {
  return { prisma, loaders: createLoaders(prisma) };
}

export function createContext(options: Omit<Context, 'loaders'>): Context {
  return { ...options, ...readingFrom(options.prisma) };
}
