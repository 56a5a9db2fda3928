// API keys: random secrets shown once, stored only as SHA-256 hashes, with scopes.
import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ApiScope } from '../generated/prisma/enums.js';

export interface Caller {
  /** Null for the local command line, which acts without a key. */
  apiKeyId: number | null;
  name: string;
  scopes: ApiScope[];
  /**
   * Whose external IDs and idempotency keys the caller uses: the key's own id, or the key it
   * replaces (see `createApiKey`); 0 for the local command line.
   */
  owner: number;
}

const KEY_PREFIX = 'cg_';

export function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Creates a key; the returned `secret` is the only copy there will ever be. A key made to
 * replace another (`replaces`, when rotating keys) shares that key's external IDs and
 * idempotency keys, so the partner's own IDs keep naming its records.
 */
export async function createApiKey(prisma: PrismaClient, name: string, scopes: ApiScope[], options: { replaces?: number | null } = {}) {
  if (!name.trim()) throw new Error('A key needs a name (who or what uses it)');
  if (scopes.length === 0) throw new Error('A key needs at least one scope: READ, WRITE or ADMIN');
  let ownerKeyId: number | null = null;
  if (options.replaces != null) {
    const replaced = await prisma.apiKey.findUnique({ where: { id: options.replaces }, select: { id: true, ownerKeyId: true } });
    if (!replaced) throw new Error('The key to replace does not exist');
    ownerKeyId = replaced.ownerKeyId ?? replaced.id;
  }
  const secret = KEY_PREFIX + randomBytes(32).toString('base64url');
  const key = await prisma.apiKey.create({
    data: { name: name.trim(), scopes: [...new Set(scopes)], prefix: secret.slice(0, 10), hash: hashKey(secret), ownerKeyId },
  });
  return { key, secret };
}

export async function revokeApiKey(prisma: PrismaClient, id: number) {
  return prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
}

/** The caller a bearer secret stands for, or null when no such live key exists. */
export async function authenticate(prisma: PrismaClient, secret: string): Promise<Caller | null> {
  const key = await prisma.apiKey.findUnique({ where: { hash: hashKey(secret) } });
  if (!key || key.revokedAt) return null;
  return { apiKeyId: key.id, name: key.name, scopes: key.scopes, owner: key.ownerKeyId ?? key.id };
}

/** WRITE implies READ; ADMIN implies both. */
export function hasScope(caller: Caller | null, scope: ApiScope): boolean {
  if (!caller) return false;
  if (caller.scopes.includes('ADMIN')) return true;
  return caller.scopes.includes(scope) || (scope === 'READ' && caller.scopes.includes('WRITE'));
}
