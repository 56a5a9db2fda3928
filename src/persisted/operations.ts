// Registered (persisted) operations: a document stored under the SHA-256 of its text. Clients
// send the hash; with PERSISTED_ONLY=true nothing else runs. A document never changes once
// registered (a changed document is a new hash), so lookups are cached for the process's life.
import { createHash } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.js';
import { z } from 'zod';
import { parseInput } from '../rules/parse.js';
import { words } from '../rules/text.js';

/** A registered document and its name: text, within these limits. */
export const MAX_DOCUMENT_LENGTH = 100_000;
const registration = z.object({ document: words(MAX_DOCUMENT_LENGTH), name: words(200) });

export const operationHash = (document: string): string => createHash('sha256').update(document).digest('hex');

export interface RegisterOperationInput {
  document: string;
  name: string;
  /** The registering key; null for the local command line. */
  apiKeyId: number | null;
}

/**
 * Stores a document (already checked against the schema by the caller) and returns its row.
 * Registering the same document again returns the first registration.
 */
export async function registerOperation(prisma: PrismaClient, input: RegisterOperationInput) {
  parseInput(registration, { document: input.document, name: input.name });
  const hash = operationHash(input.document);
  const existing = await prisma.persistedOperation.findUnique({ where: { hash } });
  if (existing) return { operation: existing, alreadyRegistered: true };
  try {
    const operation = await prisma.persistedOperation.create({
      data: { hash, document: input.document, name: input.name.trim(), registeredById: input.apiKeyId },
    });
    return { operation, alreadyRegistered: false };
  } catch (error) {
    // Two registrations of the same document at once: the other one won, and it is the same.
    const raced = await prisma.persistedOperation.findUnique({ where: { hash } });
    if (raced) return { operation: raced, alreadyRegistered: true };
    throw error;
  }
}

/** Looks documents up by hash, remembering what it found (documents are immutable). */
export function persistedOperationStore(prisma: PrismaClient, cacheSize = 1000) {
  const cache = new Map<string, string>();
  return async (hash: string): Promise<string | null> => {
    if (!/^[0-9a-f]{64}$/.test(hash)) return null;
    const cached = cache.get(hash);
    if (cached !== undefined) return cached;
    const row = await prisma.persistedOperation.findUnique({ where: { hash }, select: { document: true } });
    if (!row) return null;
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
    cache.set(hash, row.document);
    return row.document;
  };
}
