// What a written date means: the one reader of dates for every way data comes in (GraphQL
// arguments and inputs, NDJSON and ACLED imports, the seed, export parameters).
//
// A date is a period of time, as precise as what was written:
//   "2026"            YEAR   (the whole year, UTC)
//   "2026-01"         MONTH
//   "2026-W05"        WEEK   (ISO week: Monday to Sunday)
//   "2026-01-31"      DAY
//   "2026-01-31T14:27Z", "…T19:57:00+05:30", "…T14:27:00.123Z"   EXACT (a moment, to the minute or better)
// A calendar date must exist (30 February is refused, never moved to 2 March); a date-time must
// carry `Z` or an offset (a time without a zone would be read in whatever zone the server runs
// in); years run from 1000 to 9999 (PostgreSQL has no year 0, and no source reports year 20000).
// A period is stored as its first moment and its precision; `periodEnd` gives the moment after
// it, so "on 31 January" covers 31 January 00:00 to 1 February 00:00 (UTC), and a date range's
// `to` includes its whole day.
import type { DatePrecision } from '../generated/prisma/enums.js';

export interface StatedDate {
  /** The first moment of the period (UTC midnight for DAY, the Monday for WEEK). */
  at: Date;
  precision: DatePrecision;
}

export const DATE_FORMS =
  'a date ("2026-01-31"), a month ("2026-01"), an ISO week ("2026-W05"), a year ("2026"), or a date-time with a time zone ("2026-01-31T14:27:00Z", "2026-01-31T19:57:00+05:30")';

/** Why a written date was refused, as a rule sentence and a code. */
export class DateRuleError extends Error {
  constructor(
    readonly rule: string,
    readonly code: 'NOT_A_DATE' | 'IMPOSSIBLE_DATE' | 'NO_TIME_ZONE' | 'YEAR_OUT_OF_RANGE',
  ) {
    super(rule);
    this.name = 'DateRuleError';
  }
}

const MIN_YEAR = 1000;
const MAX_YEAR = 9999;

const YEAR = /^(\d{4})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const WEEK = /^(\d{4})-W(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/i;

function checkYear(year: number) {
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new DateRuleError(`must be between the years ${MIN_YEAR} and ${MAX_YEAR}`, 'YEAR_OUT_OF_RANGE');
  }
}

/** The UTC midnight of a calendar day that exists, or a refusal naming the day. */
function calendarDay(year: number, month: number, day: number): Date {
  checkYear(year);
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2026-02-30 over to 2 March: the day must come back as written.
  if (month < 1 || month > 12 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    const written = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    throw new DateRuleError(`must be a day that exists in the calendar (${written} does not)`, 'IMPOSSIBLE_DATE');
  }
  return date;
}

/** Monday of ISO week `week` of `year` (week 1 holds the year's first Thursday). */
function isoWeekStart(year: number, week: number): Date {
  checkYear(year);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const mondayOfWeek1 = Date.UTC(year, 0, 4 - ((jan4.getUTCDay() + 6) % 7));
  const start = new Date(mondayOfWeek1 + (week - 1) * 7 * 86_400_000);
  // 28 December always lies in the last ISO week of its year: 52 or 53.
  const weeksInYear = isoWeekNumber(new Date(Date.UTC(year, 11, 28)));
  if (week < 1 || week > weeksInYear) {
    throw new DateRuleError(`must be a week that exists: ${year} has ISO weeks 1 to ${weeksInYear}`, 'IMPOSSIBLE_DATE');
  }
  return start;
}

function isoWeekNumber(date: Date): number {
  const thursday = new Date(date.getTime() + (3 - ((date.getUTCDay() + 6) % 7)) * 86_400_000);
  const firstThursdayYearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return Math.floor((thursday.getTime() - firstThursdayYearStart) / (7 * 86_400_000)) + 1;
}

/**
 * Reads a written date as the period it names. Throws DateRuleError with the rule it breaks.
 * Surrounding spaces are ignored; nothing else is.
 */
export function readDate(written: string): StatedDate {
  const text = written.trim();
  let match: RegExpExecArray | null;
  if ((match = YEAR.exec(text))) {
    const year = Number(match[1]);
    checkYear(year);
    return { at: new Date(Date.UTC(year, 0, 1)), precision: 'YEAR' };
  }
  if ((match = MONTH.exec(text))) return { at: calendarDay(Number(match[1]), Number(match[2]), 1), precision: 'MONTH' };
  if ((match = WEEK.exec(text))) return { at: isoWeekStart(Number(match[1]), Number(match[2])), precision: 'WEEK' };
  if ((match = DAY.exec(text))) return { at: calendarDay(Number(match[1]), Number(match[2]), Number(match[3])), precision: 'DAY' };
  if ((match = DATE_TIME.exec(text))) {
    const [, y, mo, d, h, mi, s, fraction, zone] = match;
    if (!zone) {
      throw new DateRuleError(
        `must carry a time zone: "Z" for UTC or an offset such as "+05:00" (${text} gives none, and would be read in whatever zone the server runs in)`,
        'NO_TIME_ZONE',
      );
    }
    const day = calendarDay(Number(y), Number(mo), Number(d));
    if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) {
      throw new DateRuleError(`must be a time that exists (${h}:${mi}${s ? `:${s}` : ''} does not)`, 'IMPOSSIBLE_DATE');
    }
    const offset = zone.toUpperCase() === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    if (Math.abs(offset) > 18 * 60) throw new DateRuleError(`must have an offset of at most 18 hours (${zone} is not one)`, 'IMPOSSIBLE_DATE');
    const millis = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
    const at = new Date(day.getTime() + ((Number(h) * 60 + Number(mi) - offset) * 60 + Number(s ?? 0)) * 1000 + millis);
    checkYear(at.getUTCFullYear());
    return { at, precision: 'EXACT' };
  }
  throw new DateRuleError(`must be ${DATE_FORMS}`, 'NOT_A_DATE');
}

/**
 * The first moment after the period of `precision` that holds `at` (the day after, for a DAY).
 * Its SQL twin is `period_end(at, unit)` (migration …_integrity); test/dates.test.ts checks
 * that they agree.
 */
export function periodEnd(at: Date, precision: DatePrecision): Date {
  if (precision === 'EXACT') return new Date(at.getTime() + 1);
  const start = periodStart(at, precision);
  const [y, m, d] = [start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()];
  switch (precision) {
    case 'DAY':
      return new Date(Date.UTC(y, m, d + 1));
    case 'WEEK':
      return new Date(Date.UTC(y, m, d + 7));
    case 'MONTH':
      return new Date(Date.UTC(y, m + 1, 1));
    case 'YEAR':
      return new Date(Date.UTC(y + 1, 0, 1));
  }
}

/** The start of the period of `precision` that holds `at` (UTC; weeks start on Monday). */
export function periodStart(at: Date, precision: DatePrecision): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  switch (precision) {
    case 'EXACT':
      return at;
    case 'DAY':
      return new Date(Date.UTC(y, m, d));
    case 'WEEK':
      return new Date(Date.UTC(y, m, d - ((at.getUTCDay() + 6) % 7)));
    case 'MONTH':
      return new Date(Date.UTC(y, m, 1));
    case 'YEAR':
      return new Date(Date.UTC(y, 0, 1));
  }
}

const FINENESS: Record<DatePrecision, number> = { EXACT: 0, DAY: 1, WEEK: 2, MONTH: 3, YEAR: 4 };

/** The less precise of two precisions (a period from a day to a month is known to the month). */
export const coarser = (a: DatePrecision, b: DatePrecision): DatePrecision => (FINENESS[a] >= FINENESS[b] ? a : b);

/**
 * A written date with the precision a writer chose: the precision follows what was written
 * unless given; a precision coarser than what was written keeps the start of its period
 * ("2026-01-31T14:27Z" known to the DAY is 31 January); a finer one is refused (a day cannot be
 * known to the minute).
 */
export function withPrecision(date: StatedDate, precision: DatePrecision | null | undefined): StatedDate {
  if (!precision || precision === date.precision) return date;
  if (FINENESS[precision] < FINENESS[date.precision]) {
    throw new DateRuleError(
      `is known only to the ${date.precision.toLowerCase()} as written: write a ${precision === 'EXACT' ? 'date-time with a time zone' : 'more precise date'} for precision ${precision}`,
      'NOT_A_DATE',
    );
  }
  return { at: periodStart(date.at, precision), precision };
}

/** A date range as moments: from the first moment of `from` up to (not including) the first moment after `to`. */
export interface Period {
  from: Date | null;
  until: Date | null;
}

export function periodOf(range: { from?: StatedDate | null; to?: StatedDate | null } | null | undefined): Period | null {
  if (!range || (!range.from && !range.to)) return null;
  return { from: range.from?.at ?? null, until: range.to ? periodEnd(range.to.at, range.to.precision) : null };
}

/** "As of" a date is as the record stood at the end of it (everything said that day counts); a date-time is that moment. */
export const asOfMoment = (date: StatedDate): Date => new Date(periodEnd(date.at, date.precision).getTime() - 1);
