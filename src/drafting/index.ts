// Drafting claims against the database: load what the text may match, then draft.
import type { PrismaClient } from '../generated/prisma/client.js';
import { draftClaims, type DraftRequest } from './draft.js';
import { loadKnown } from './known.js';
import { prepareText, readText } from './text.js';
import type { Draft } from './types.js';

export { draftClaims, type DraftRequest } from './draft.js';
export { MAX_DRAFT_CHARACTERS } from './limits.js';
export type { Draft } from './types.js';

/**
 * Drafts a report's claims against what the database knows (read only: nothing is written),
 * with the external IDs `owners` (the reader's, then the local operator's) gave its records.
 */
export async function draftFromDatabase(prisma: PrismaClient, request: DraftRequest, owners: readonly number[]): Promise<Draft> {
  const prepared = prepareText(request.text);
  const title = prepared.english ? (readText(prepared.text).title?.text ?? null) : null;
  const known = await loadKnown(prisma, { publishedAt: request.publishedAt, title }, owners);
  return draftClaims(request, known);
}
