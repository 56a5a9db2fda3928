// What a claim means as a number: the one definition behind comparisons, estimates, totals and
// track records. Its SQL twin is the migration `claim_intervals` (functions `claim_*` and
// `claims_*`), which every SQL statement in src/claims/ calls; test/claim-intervals.test.ts
// checks on random claims that the two agree.
//
// 1. A figure is an interval of numbers it allows: EXACT or APPROXIMATE n → [n, n] (approximate
//    is a flag, not a made-up margin); AT_LEAST n → [n, open); AT_MOST n → [0, n]; RANGE → its
//    ends; UNQUANTIFIED ("dozens") → no number. Only when the client asks (IMPLIED_BOUNDS) does a
//    vague word give the bound the lexicon says it implies ("dozens" → [24, open)), and then the
//    answer names the word.
// 2. Figures of one claimant add up (victim categories, parts of an incident): low = the sum of
//    the lows; high = the sum of the highs, open when any part is open or gave no number (words
//    add an unknown count); no number when no part has one.
// 3. A claimant's position on an incident (with everything inside it) is the sum of its standing
//    figures (standing.ts: not superseded or retracted, as of a moment) at the highest level of
//    the incident it spoke about — a figure for a part is already inside the same claimant's
//    figure for the whole. A claimant who counted only parts gives a floor for the whole:
//    [sum of the parts, open).
// 4. Exact: one number, not said approximately. Overlap: one number satisfies every claim (the
//    highest low ≤ the lowest high). Ratio: the smallest factor separating the claims, highest
//    low ÷ lowest high (≤ 1 when they overlap); none for fewer than two claims, when every claim
//    is open or when the lowest high is 0.
// 5. Claims are alternatives, never added. ENVELOPE: from the lowest low to the highest high of
//    every claim with a number. LOWEST_CLAIM: the claim with the lowest low among those for the
//    whole incident (a floor says nothing about the rest, so it is taken only when nobody
//    counted the whole). HIGHEST_CLAIM: the claim with the highest low (floors included: they do
//    claim at least that many). The chosen claim is taken whole, with its own flags.
import { Prisma } from '../generated/prisma/client.js';
import type { QuantityKind } from '../generated/prisma/enums.js';
import { VAGUE_WORDS, vagueWordOf, type VagueWord } from './vague-words.js';

/** How words without a number are read: as no number (the default), or with the bound the lexicon says they imply. */
export type VagueWordReading = 'NO_NUMBER' | 'IMPLIED_BOUNDS';

export type ClaimantCombination = 'ENVELOPE' | 'LOWEST_CLAIM' | 'HIGHEST_CLAIM';

export type Agreement = 'AGREE' | 'CONSISTENT' | 'DISAGREE' | 'SINGLE_CLAIMANT';

export type Relation = 'HIGHER' | 'LOWER' | 'EQUAL' | 'OVERLAPPING' | 'NO_COMPARISON';

/** What a figure, a sum of figures, a position or a combination of positions allows. */
export interface Claim {
  /** The least number it allows; null when it gives no number (words only). */
  low: number | null;
  /** The most; null when open ("at least 67", a floor) or when it gives no number. */
  high: number | null;
  /** Some number in it was said approximately ("some 10"). */
  approximate: boolean;
}

/** A claim as a position on an incident, with what the choice between claimants looks at. */
export interface PositionClaim extends Claim {
  /** False when the claimant counted only parts of the incident: the claim is a floor. */
  coversWholeIncident: boolean;
  /** A statement of the claimant (the earliest), to break ties the same way everywhere. */
  statementId: number;
}

export interface FigureQuantity {
  quantityKind: QuantityKind;
  low: number | null;
  high: number | null;
  phrase: string;
}

/** The vague word whose implied bound a figure takes, when the reading implies one. */
export function impliedWord(figure: FigureQuantity, reading: VagueWordReading): VagueWord | null {
  if (reading !== 'IMPLIED_BOUNDS' || figure.quantityKind !== 'UNQUANTIFIED') return null;
  const word = vagueWordOf(figure.phrase);
  return word?.impliedAtLeast == null ? null : word;
}

/** 1. One figure as an interval (SQL: `claim_low`, `claim_high`). */
export function figureClaim(figure: FigureQuantity, reading: VagueWordReading = 'NO_NUMBER'): Claim {
  const approximate = figure.quantityKind === 'APPROXIMATE';
  switch (figure.quantityKind) {
    case 'EXACT':
    case 'APPROXIMATE':
    case 'RANGE':
      return { low: figure.low, high: figure.high, approximate };
    case 'AT_LEAST':
      return { low: figure.low, high: null, approximate };
    case 'AT_MOST':
      return { low: 0, high: figure.high, approximate };
    case 'UNQUANTIFIED':
      return { low: impliedWord(figure, reading)?.impliedAtLeast ?? null, high: null, approximate };
  }
}

/** 2. Claims added up (SQL: `sum(low)` and `claim_sum_high`). */
export function sumOf(parts: readonly Claim[]): Claim {
  const numbered = parts.filter((part) => part.low !== null);
  if (numbered.length === 0) return { low: null, high: null, approximate: parts.some((part) => part.approximate) };
  const open = parts.some((part) => part.high === null);
  return {
    low: numbered.reduce((total, part) => total + part.low!, 0),
    high: open ? null : parts.reduce((total, part) => total + part.high!, 0),
    approximate: parts.some((part) => part.approximate),
  };
}

/** 3. A claimant's position from its figures at the highest level it counted (SQL: `claim_position_high`). */
export function positionOf(parts: readonly Claim[], coversWholeIncident: boolean): Claim {
  const sum = sumOf(parts);
  return coversWholeIncident ? sum : { ...sum, high: null };
}

/** 4. One number, not said approximately (SQL: `claim_exact`). */
export function isExact(claim: Claim): boolean {
  return claim.low !== null && claim.low === claim.high && !claim.approximate;
}

const numbered = <C extends Claim>(claims: readonly C[]) => claims.filter((claim) => claim.low !== null);

/** The highest low, and the lowest high (null: every claim open), of the claims with a number. */
function extremes(claims: readonly Claim[]) {
  const withNumber = numbered(claims);
  const highs = withNumber.flatMap((claim) => (claim.high === null ? [] : [claim.high]));
  return {
    count: withNumber.length,
    maxLow: withNumber.length ? Math.max(...withNumber.map((claim) => claim.low!)) : null,
    minHigh: highs.length ? Math.min(...highs) : null,
  };
}

/** One number satisfies every claim with a number (SQL: `claims_overlap`). */
export function overlap(claims: readonly Claim[]): boolean {
  const { maxLow, minHigh } = extremes(claims);
  return maxLow === null || minHigh === null || maxLow <= minHigh;
}

/** The smallest factor separating the claims (SQL: `claims_ratio`). */
export function ratioOf(claims: readonly Claim[]): number | null {
  const { count, maxLow, minHigh } = extremes(claims);
  if (count < 2 || minHigh === null || minHigh === 0) return null;
  return maxLow! / minHigh;
}

/** Whether the claims can all be true, and are one exact number (SQL: `claims_agreement`). */
export function agreementOf(claims: readonly Claim[]): Agreement {
  const withNumber = numbered(claims);
  if (withNumber.length < 2) return 'SINGLE_CLAIMANT';
  if (!overlap(withNumber)) return 'DISAGREE';
  const { low, high } = envelope(withNumber);
  return withNumber.every(isExact) && low === high ? 'AGREE' : 'CONSISTENT';
}

/** 5. The range covering every claim with a number (SQL: `min(low)`, `max(high)`); flags of every claim. */
export function envelope(claims: readonly Claim[]): Claim {
  const withNumber = numbered(claims);
  const approximate = claims.some((claim) => claim.approximate);
  if (withNumber.length === 0) return { low: null, high: null, approximate };
  return {
    low: Math.min(...withNumber.map((claim) => claim.low!)),
    high: withNumber.some((claim) => claim.high === null) ? null : Math.max(...withNumber.map((claim) => claim.high!)),
    approximate,
  };
}

type Order = number[];

/** Where a claim stands in LOWEST_CLAIM's order, first chosen (SQL: `claim_lowest_order`). */
export function lowestOrder(claim: PositionClaim): Order {
  const group = claim.low === null ? 2 : claim.coversWholeIncident ? 0 : 1;
  return [group, claim.low ?? 0, claim.low === null ? 0 : (claim.high ?? Infinity), claim.statementId];
}

/** Where a claim stands in HIGHEST_CLAIM's order, first chosen (SQL: `claim_highest_order`). */
export function highestOrder(claim: PositionClaim): Order {
  const high = claim.low === null ? 0 : (claim.high ?? Infinity);
  return [claim.low === null ? 1 : 0, -(claim.low ?? 0), -high, claim.coversWholeIncident ? 0 : 1, claim.statementId];
}

function compareOrders(a: Order, b: Order): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** The claim a method picks: the first in its order; undefined when there is none. */
export function chosenClaim<C extends PositionClaim>(claims: readonly C[], order: (claim: C) => Order): C | undefined {
  return [...claims].sort((a, b) => compareOrders(order(a), order(b)))[0];
}

/** The positions a combination is made of: every one for ENVELOPE, else the one it picks. */
export function combined<C extends PositionClaim>(positions: readonly C[], combination: ClaimantCombination): C[] {
  if (combination === 'ENVELOPE') return [...positions];
  const chosen = chosenClaim(positions, combination === 'LOWEST_CLAIM' ? lowestOrder : highestOrder);
  return chosen ? [chosen] : [];
}

/** Positions combined as `combination` says: the envelope, or one claimant's position taken whole. */
export function combine(positions: readonly PositionClaim[], combination: ClaimantCombination): Claim {
  return envelope(combined(positions, combination));
}

/**
 * A claimant's claim against the others': above every other claim (its low over the others'
 * highest high), below every one, the same exact number as all of them, or none of these.
 */
export function relationOf(own: Claim, others: readonly Claim[]): Relation {
  const rest = envelope(numbered(others));
  if (own.low === null || rest.low === null) return 'NO_COMPARISON';
  if (rest.high !== null && own.low > rest.high) return 'HIGHER';
  if (own.high !== null && own.high < rest.low) return 'LOWER';
  if (isExact(own) && numbered(others).every((other) => isExact(other) && other.low === own.low)) return 'EQUAL';
  return 'OVERLAPPING';
}

/**
 * How many times the others' claims a claimant's claim is, where it stands clear of them: the
 * ratio (as in `ratioOf`) between it and the others' envelope, above 1 when higher, below 1 when
 * lower, 1 when equal; null when the claims overlap or there is nothing to compare.
 */
export function relativeRatio(own: Claim, others: readonly Claim[]): number | null {
  const rest = envelope(numbered(others));
  switch (relationOf(own, others)) {
    case 'HIGHER':
      return rest.high === 0 ? null : own.low! / rest.high!;
    case 'LOWER':
      return own.high! / rest.low!;
    case 'EQUAL':
      return 1;
    default:
      return null;
  }
}

// --- The SQL side: fragments that call the migration's functions ---------------------------

/** The lexicon as query parameters for `vague_form`: every form, and the bound of its word. */
const LEXICON = VAGUE_WORDS.flatMap((word) => word.forms.map((form) => ({ form, word })));
const FORMS = LEXICON.map((entry) => entry.form);
/** The forms as one regular expression, longest first, each escaped. */
const FORM_PATTERN = `^(${[...FORMS]
  .sort((a, b) => b.length - a.length)
  .map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  .join('|')})(?: |$)`;

/** The index (1-based) in the lexicon's forms of the vague word `phrase` opens with, in SQL (`vague_form`). */
export const vagueFormSql = (phrase: Prisma.Sql) => Prisma.sql`vague_form(${phrase}, ${FORM_PATTERN}, ${FORMS}::text[])`;

/** The vague word behind a form index returned by `vague_form` (1-based, as SQL arrays are). */
export function wordOfForm(index: number): VagueWord {
  return LEXICON[index - 1]!.word;
}

/**
 * A figure `f`'s bounds in SQL, as float8 (high 'Infinity' when open), and the index of the
 * vague word that implied its bound (NULL when none did).
 */
export function figureBoundsSql(reading: VagueWordReading): { low: Prisma.Sql; high: Prisma.Sql; impliedForm: Prisma.Sql } {
  const form =
    reading === 'IMPLIED_BOUNDS'
      ? Prisma.sql`CASE WHEN f."quantityKind" = 'UNQUANTIFIED' THEN ${vagueFormSql(Prisma.sql`f.phrase`)} END`
      : Prisma.sql`NULL::int`;
  const bounds = LEXICON.map((entry) => entry.word.impliedAtLeast);
  const implied = reading === 'IMPLIED_BOUNDS' ? Prisma.sql`(${bounds}::int[])[${form}]` : Prisma.sql`NULL::int`;
  return {
    low: Prisma.sql`claim_low(f."quantityKind", f.low, ${implied})`,
    high: Prisma.sql`claim_high(f."quantityKind", f.high, ${implied})`,
    impliedForm: Prisma.sql`CASE WHEN (${implied}) IS NOT NULL THEN ${form} END`,
  };
}

/** Aggregates adding up rows that have `low` and `high` columns (rule 2). */
export const sumSql = {
  low: Prisma.sql`sum(low)`,
  high: Prisma.sql`claim_sum_high(count(*), count(low), sum(high))`,
};

/** A numeric bound as the number it is, or null when open or absent. */
export const boundOut = (bound: Prisma.Sql) => Prisma.sql`NULLIF(${bound}, 'Infinity')::float8`;
