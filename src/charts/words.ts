// The words charts and pages use for the data model's values, in one place: what a metric and a
// side mean to a reader, whom a claimant speaks for (and its colour), dates as the reporting
// gives them. Plain text; no GraphQL, no HTML.
import type { ClaimantAffiliation, DatePrecision, FigureMetric, Side, VerificationStatus } from '../generated/prisma/enums.js';

const METRIC_WORDS: Record<FigureMetric, string> = {
  KILLED: 'killed',
  INJURED: 'injured',
  ABDUCTED: 'abducted',
  ARRESTED: 'arrested',
  MISSING: 'missing',
  DISPLACED: 'displaced',
  SURRENDERED: 'who surrendered',
};

const SIDE_WORDS: Record<Side, string> = {
  STATE_FORCES: 'state forces',
  NON_STATE_ARMED_GROUP: 'armed-group members',
  CIVILIAN: 'civilians',
  UNSPECIFIED: 'people (side not stated)',
};

/** "killed", "injured". */
export const metricWords = (metric: FigureMetric) => METRIC_WORDS[metric];

/** "state forces killed", "civilians injured". */
export function countedWords(metric: FigureMetric, side: Side): string {
  return side === 'UNSPECIFIED' ? `people ${METRIC_WORDS[metric]} (side not stated)` : `${SIDE_WORDS[side]} ${METRIC_WORDS[metric]}`;
}

export const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Whom a claimant speaks for, as a reader's word, and its colour: the Okabe–Ito palette, told
 * apart with any of the common colour-vision deficiencies, each at least 3:1 against white.
 * Colour is never the only cue: every claimant is also named in text.
 */
export const SPEAKS_FOR = {
  STATE: { label: 'the state', colour: '#0072B2' },
  NON_STATE_ARMED_GROUP: { label: 'an armed group', colour: '#D55E00' },
  INDEPENDENT: { label: 'no side (independent)', colour: '#009E73' },
  UNKNOWN: { label: 'not known', colour: '#767676' },
  MIXED: { label: 'several', colour: '#CC79A7' },
} as const satisfies Record<ClaimantAffiliation | 'MIXED', { label: string; colour: string }>;

export type SpeaksFor = keyof typeof SPEAKS_FOR;

/** One affiliation for a claimant's statements: the one they share, or MIXED. */
export function speaksFor(affiliations: readonly string[]): SpeaksFor {
  const distinct = [...new Set(affiliations)];
  return distinct.length === 1 && distinct[0]! in SPEAKS_FOR ? (distinct[0] as SpeaksFor) : 'MIXED';
}

/** Verification as a reader is told it; null when nothing casts doubt on the statement. */
export function doubtWords(verification: VerificationStatus, verifiedBy: string | null | undefined): string | null {
  const said = { UNVERIFIED: 'could not be verified', DISPUTED: 'is disputed', FALSE: 'was reported false' }[verification as string];
  if (!said) return null;
  return verifiedBy ? `${said} (${verifiedBy})` : said;
}

/** A number as a chart label: 8.4, 12, 1.25 → "1.3". */
export const formatRatio = (ratio: number) => (Math.round(ratio * 10) / 10).toString();

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A date as precisely as it is known, in UTC: "31 January 2026", "January 2026", "31 January 2026, 14:27 UTC". */
export function dateWords(date: Date, precision: DatePrecision = 'DAY'): string {
  const day = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
  switch (precision) {
    case 'YEAR':
      return String(date.getUTCFullYear());
    case 'MONTH':
      return `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
    case 'WEEK':
      return `the week of ${day}`;
    case 'EXACT':
      return `${day}, ${date.toISOString().slice(11, 16)} UTC`;
    default:
      return day;
  }
}
