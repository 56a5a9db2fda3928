// Derived estimates as stated methods. Each method says which claimants' positions it uses and
// how it combines them (interval.ts: the envelope, or the lowest claim taken whole); the result
// carries the estimate *and* the positions behind it, so every derived number can be
// reproduced. Words without numbers ("dozens") are never turned into numbers unless the client
// asked for implied bounds, and then the estimate names the words.
import type { ImpliedBound, Position } from './comparison.js';
import { chosenClaim, envelope, isExact, lowestOrder } from './interval.js';

export type ReconciliationMethod = 'CONSERVATIVE' | 'RANGE' | 'OFFICIAL_ONLY' | 'EXCLUDE_UNVERIFIED';

export type ExclusionReason = 'UNQUANTIFIED' | 'QUESTIONED' | 'NOT_OFFICIAL' | 'PARTS_ONLY' | 'NOT_LOWEST';

export interface Estimate {
  method: ReconciliationMethod;
  /** Null when no position qualifies. */
  low: number | null;
  /** Null when open-ended, or when no position qualifies. */
  high: number | null;
  approximate: boolean;
  exact: boolean;
  /** The bounds of the used positions that vague words implied. */
  impliedBounds: ImpliedBound[];
  /** With `excluded`, every position exactly once. */
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
  if (method === 'CONSERVATIVE') {
    // ACLED style: the lowest credible claim for the whole incident, taken whole (LOWEST_CLAIM).
    const lowest = chosenClaim(used, lowestOrder);
    for (const position of used) {
      if (position === lowest) continue;
      const floor = !position.coversWholeIncident && lowest?.coversWholeIncident;
      excluded.push({ position, reason: floor ? 'PARTS_ONLY' : 'NOT_LOWEST' });
    }
    used = lowest ? [lowest] : [];
  }
  // UCDP style low/high: the envelope of the claims used.
  const claim = envelope(used);
  return {
    method,
    low: claim.low,
    high: claim.high,
    approximate: claim.approximate,
    exact: isExact(claim),
    impliedBounds: used.flatMap((position) => position.impliedBounds),
    used,
    excluded,
  };
}
