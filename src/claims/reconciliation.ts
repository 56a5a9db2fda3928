// Derived estimates as stated methods. Each method says which claimants' positions it uses and
// how it combines them; the result carries the estimate *and* the positions behind it, so
// every derived number can be reproduced. Words without numbers ("dozens") are never turned
// into numbers: they are listed as excluded.
import type { Position } from './comparison.js';

export type ReconciliationMethod = 'CONSERVATIVE' | 'RANGE' | 'OFFICIAL_ONLY' | 'EXCLUDE_UNVERIFIED';

export type ExclusionReason = 'UNQUANTIFIED' | 'QUESTIONED' | 'NOT_OFFICIAL' | 'NOT_LOWEST';

export interface Estimate {
  method: ReconciliationMethod;
  /** Null when no position qualifies. */
  low: number | null;
  /** Null when open-ended, or when no position qualifies. */
  high: number | null;
  approximate: boolean;
  used: Position[];
  excluded: { position: Position; reason: ExclusionReason }[];
}

/** Why a method leaves a position out before combining; null when it may be used. */
function exclusion(method: ReconciliationMethod, position: Position): ExclusionReason | null {
  if (position.unquantified) return 'UNQUANTIFIED';
  if ((method === 'CONSERVATIVE' || method === 'EXCLUDE_UNVERIFIED') && position.questioned) return 'QUESTIONED';
  if (method === 'OFFICIAL_ONLY' && !position.affiliations.every((affiliation) => affiliation === 'STATE')) {
    return 'NOT_OFFICIAL';
  }
  return null;
}

/** Combines one comparison's positions (see `compareClaims`) by `method`. */
export function reconcile(positions: Position[], method: ReconciliationMethod): Estimate {
  const excluded: Estimate['excluded'] = [];
  let used: Position[] = [];
  for (const position of positions) {
    const reason = exclusion(method, position);
    if (reason) excluded.push({ position, reason });
    else used.push(position);
  }
  if (method === 'CONSERVATIVE' && used.length > 0) {
    // ACLED style: the lowest credible claim, taken whole (its own interval).
    const lowest = used.reduce((best, position) => (position.low! < best.low! ? position : best));
    for (const position of used) if (position !== lowest) excluded.push({ position, reason: 'NOT_LOWEST' });
    used = [lowest];
  }
  if (used.length === 0) return { method, low: null, high: null, approximate: false, used, excluded };
  // UCDP style low/high: from the lowest claim to the highest; open if any claim is open.
  const open = used.some((position) => position.high === null);
  return {
    method,
    low: Math.min(...used.map((position) => position.low!)),
    high: open ? null : Math.max(...used.map((position) => position.high!)),
    approximate: used.some((position) => position.approximate),
    used,
    excluded,
  };
}
