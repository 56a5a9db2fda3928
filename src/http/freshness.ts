// HTTP validators for what the gateway derives from its data (charts, pages): the ETag names the
// representation (its URL) and the data's last change, so it changes exactly when the data or
// the code that draws it does, is the same on every instance, and is known before anything is
// drawn — a revalidation costs one indexed SQL read and a 304.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedVersion } from '../installed-version.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { lastChange } from '../writes/audit.js';

/** What draws the output — Vega's versions (read without loading Vega, ~0.7 s of a start) and the source of the charts and pages — hashed once. */
const DRAWN_BY = (() => {
  const hash = createHash('sha256').update(`vega ${installedVersion('vega')} vega-lite ${installedVersion('vega-lite')}`);
  for (const folder of ['../charts', '../pages']) {
    const dir = fileURLToPath(new URL(folder, import.meta.url));
    for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  }
  return hash.digest('base64url');
})();

export interface Freshness {
  etag: string;
  lastModified: Date | null;
}

/** The validators for `url` (path and query, in a canonical order) as the data stands now. */
export async function freshness(prisma: PrismaClient, url: URL): Promise<Freshness> {
  const change = await lastChange(prisma);
  const query = [...url.searchParams].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1));
  const hash = createHash('sha256')
    .update(JSON.stringify([DRAWN_BY, url.pathname, query, change?.id ?? 0]))
    .digest('base64url');
  return { etag: `"${hash.slice(0, 27)}"`, lastModified: change?.at ?? null };
}

/**
 * Caching headers: anyone may keep the response (`public`; `private` when reads need a key), but
 * must ask again before using it (`no-cache`), which the validators make cheap.
 */
export function cachingHeaders(fresh: Freshness, publicReads: boolean): Record<string, string> {
  return {
    etag: fresh.etag,
    'cache-control': `${publicReads ? 'public' : 'private'}, no-cache`,
    ...(fresh.lastModified ? { 'last-modified': fresh.lastModified.toUTCString() } : {}),
  };
}

/** True when the client's copy (`If-None-Match`) is the current one. */
export function clientHasCurrent(request: Request, fresh: Freshness): boolean {
  const tags = request.headers.get('if-none-match');
  if (!tags) return false;
  return tags.trim() === '*' || tags.split(',').some((tag) => tag.trim().replace(/^W\//, '') === fresh.etag);
}
