// Persisted documents: a document stored under the SHA-256 of its text, so that clients send the
// hash instead. Registered operations (registerOperation) are kept in the database; with
// PERSISTED_ONLY=true nothing else runs. Otherwise clients may also store documents themselves
// (automatic persisted queries), kept in memory only. A document never changes under its hash.
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

/** Least recently used goes first, past `maxEntries` documents or `maxChars` characters in all. */
class DocumentCache {
  private readonly documents = new Map<string, string>();
  private chars = 0;
  constructor(
    private readonly maxEntries: number,
    private readonly maxChars: number,
  ) {}

  get(hash: string): string | undefined {
    const document = this.documents.get(hash);
    if (document !== undefined) {
      this.documents.delete(hash);
      this.documents.set(hash, document);
    }
    return document;
  }

  set(hash: string, document: string): void {
    if (document.length > this.maxChars || this.documents.has(hash)) return;
    this.documents.set(hash, document);
    this.chars += document.length;
    while (this.documents.size > this.maxEntries || this.chars > this.maxChars) {
      const [oldest, text] = this.documents.entries().next().value!;
      this.documents.delete(oldest);
      this.chars -= text.length;
    }
  }
}

export interface DocumentStore {
  /** The document with this hash (hex SHA-256): a registered one, else one stored by a client (APQ). */
  find(hash: string): Promise<string | null>;
  /**
   * Automatic persisted queries: keeps a document a client sent with its hash (checked by the
   * caller), so the client's next request can send the hash alone. Off in PERSISTED_ONLY mode.
   */
  remember(hash: string, document: string): void;
}

/**
 * The one place a document is found by its hash. Registered operations live in the database
 * (and are cached: they never change). Documents clients store with automatic persisted queries
 * live only in this process, bounded (least recently used forgotten first): they are a cache any
 * client can fill, so they are never written to the database, and a client that finds its
 * document forgotten (or on another instance) sends it again once.
 */
export function documentStore(prisma: PrismaClient, options: { automatic: boolean; maxEntries?: number; maxChars?: number }): DocumentStore {
  const { automatic, maxEntries = 1000, maxChars = 10_000_000 } = options;
  const registered = new DocumentCache(maxEntries, maxChars);
  const stored = new DocumentCache(maxEntries, maxChars);
  return {
    async find(hash) {
      if (!/^[0-9a-f]{64}$/.test(hash)) return null;
      const known = registered.get(hash) ?? (automatic ? stored.get(hash) : undefined);
      if (known !== undefined) return known;
      const row = await prisma.persistedOperation.findUnique({ where: { hash }, select: { document: true } });
      if (!row) return null;
      registered.set(hash, row.document);
      return row.document;
    },
    remember(hash, document) {
      if (automatic) stored.set(hash, document);
    },
  };
}
