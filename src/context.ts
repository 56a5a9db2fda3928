// Per-request context: the database client and the request's batch loaders.
import type { PrismaClient } from './generated/prisma/client.js';
import { createLoaders, type Loaders } from './schema/loaders.js';

export interface Context {
  prisma: PrismaClient;
  loaders: Loaders;
}

export function createContext(prisma: PrismaClient): Context {
  return { prisma, loaders: createLoaders(prisma) };
}
