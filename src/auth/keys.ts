// API keys: random secrets shown once, stored only as SHA-256 hashes, with scopes.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';
import { ApiScope } from '../generated/prisma/enums.js';
import { NotFoundError } from '../rules/errors.js';
import { parseInput } from '../rules/parse.js';
import { words } from '../rules/text.js';

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

/** The secret in `Authorization: Bearer <secret>`, or null when the header is missing or not of that form. */
export function bearerSecret(request: Request): string | null {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? null;
}

export function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The longest name a key may have: enough for "who or what uses it", not a place to store data. */
export const MAX_KEY_NAME = 200;

const newKey = z.object({
  name: words(MAX_KEY_NAME),
  scopes: z.array(z.enum(Object.values(ApiScope) as [ApiScope, ...ApiScope[]])).min(1, 'needs at least one scope: READ, WRITE or ADMIN'),
});

/**
 * Creates a key; the returned `secret` is the only copy there will ever be. Throws
 * InvalidInputError for a name that is empty or longer than MAX_KEY_NAME, or no scope. A key made
 * to replace another (`replaces`, when rotating keys) shares that key's external IDs and
 * idempotency keys, so the partner's own IDs keep naming its records.
 */
export async function createApiKey(prisma: PrismaClient, name: string, scopes: ApiScope[], options: { replaces?: number | null } = {}) {
  const input = parseInput(newKey, { name, scopes });
  let ownerKeyId: number | null = null;
  if (options.replaces != null) {
    const replaced = await prisma.apiKey.findUnique({ where: { id: options.replaces }, select: { id: true, ownerKeyId: true } });
    if (!replaced) throw new NotFoundError('replaces', 'ApiKey', options.replaces);
    ownerKeyId = replaced.ownerKeyId ?? replaced.id;
  }
  const secret = KEY_PREFIX + randomBytes(32).toString('base64url');
  const key = await prisma.apiKey.create({
    data: { name: input.name, scopes: [...new Set(input.scopes)], prefix: secret.slice(0, 10), hash: hashKey(secret), ownerKeyId },
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

/**
 * Whether a caller may read data: anyone while PUBLIC_READS is on, otherwise only a key with
 * READ (or WRITE or ADMIN, which include it). The one rule for every read path: the schema's
 * `read` scope (every Query and Subscription field) and every HTTP route (src/http/access.ts).
 */
export function mayRead(caller: Caller | null, publicReads: boolean): boolean {
  return publicReads || hasScope(caller, 'READ');
}

/** WRITE implies READ; ADMIN implies both. */
export function hasScope(caller: Caller | null, scope: ApiScope): boolean {
  if (!caller) return false;
  if (caller.scopes.includes('ADMIN')) return true;
  return caller.scopes.includes(scope) || (scope === 'READ' && caller.scopes.includes('WRITE'));
}
