// Per-request context: the database client, who is calling, the live feed, batch loaders.
import type { Caller } from './auth/keys.js';
import type { ClaimEventBus } from './events/claim-events.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { createLoaders, type Loaders } from './schema/loaders.js';

export interface Context {
  prisma: PrismaClient;
  loaders: Loaders;
  /** The API key's holder, or null for an anonymous request. */
  caller: Caller | null;
  /** Whether anonymous requests may read. */
  publicReads: boolean;
  events: ClaimEventBus;
}

export function createContext(options: Omit<Context, 'loaders'>): Context {
  return { ...options, loaders: createLoaders(options.prisma) };
}
