// How numbers are said in conflict reporting, read into a quantity as the gateway stores it:
// kind (EXACT, AT_LEAST, AT_MOST, APPROXIMATE, RANGE, UNQUANTIFIED), low, high, and the words
// themselves. The grammar is data (the tables below); the reader never invents a number the
// words do not give. Decisions a journalist may want to check:
//
//   "at least 67", "no fewer than 67", "67 or more", "67-plus"     AT_LEAST 67
//   "more than 100", "over 100", "upwards of 100"                  AT_LEAST 101 (a whole count above 100)
//   "up to 20", "at most 20", "as many as 20", "no more than 20"   AT_MOST 20
//   "fewer than 20", "less than 20", "under 20"                    AT_MOST 19
//   "some 10", "about 40", "around 40", "an estimated 40"          APPROXIMATE 40
//   "nearly 50", "almost 50", "close to 50"                        APPROXIMATE 50 (just under, said loosely:
//                                                                  AT_MOST 49 would lose that it is near 50)
//   "a dozen", "half a dozen", "two dozen"                         APPROXIMATE 12 / 6 / 24 (a round count)
//   "between 38 and 45", "38 to 45", "38-45", "four or five"       RANGE 38..45 (low below high, or refused)
//   "five", "eleven", "1,200", "two hundred and five", "1.5 million"  EXACT
//   "no", "none", "zero", "no one", "nobody"                       EXACT 0
//   "dozens", "scores", "hundreds", "a handful", "several", ...    UNQUANTIFIED, no number (src/claims/vague-words.ts)
//
// `phrase` is always the exact words of the text (for "dozens of militants": "dozens").
import type { QuantityKind } from '../generated/prisma/enums.js';
import { VAGUE_WORDS } from './vague-words.js';

export interface Quantity {
  kind: QuantityKind;
  low: number | null;
  high: number | null;
  /** The words as said. */
  phrase: string;
}

/** A quantity found in a text: `text.slice(start, end) === phrase`. */
export interface QuantitySpan extends Quantity {
  start: number;
  end: number;
}

/** The largest count a figure may hold (the write rules, src/writes/claim-inputs.ts, refuse more). */
export const MAX_COUNT = 10_000_000;

/** Words that turn a number into a bound or an approximation, and by how much a strict bound moves. */
const QUALIFIERS: readonly { forms: readonly string[]; kind: 'EXACT' | 'AT_LEAST' | 'AT_MOST' | 'APPROXIMATE'; shift: number }[] = [
  { forms: ['at least', 'no fewer than', 'no less than', 'not less than', 'a minimum of', 'at a minimum'], kind: 'AT_LEAST', shift: 0 },
  { forms: ['more than', 'over', 'upwards of', 'in excess of', 'above', 'exceeding', 'well over'], kind: 'AT_LEAST', shift: 1 },
  { forms: ['up to', 'at most', 'no more than', 'not more than', 'as many as', 'a maximum of'], kind: 'AT_MOST', shift: 0 },
  { forms: ['fewer than', 'less than', 'under', 'below', 'just under'], kind: 'AT_MOST', shift: -1 },
  {
    forms: [
      'some',
      'about',
      'around',
      'roughly',
      'approximately',
      'nearly',
      'almost',
      'close to',
      'an estimated',
      'estimated',
      'circa',
      'an approximate',
      'just over',
    ],
    kind: 'APPROXIMATE',
    shift: 0,
  },
  { forms: ['exactly', 'a total of', 'precisely', 'a confirmed'], kind: 'EXACT', shift: 0 },
];

/** Words after a number that make it a bound ("67 or more") or an approximation ("40 or so"). */
const POSTFIXES: readonly { forms: readonly string[]; kind: 'AT_LEAST' | 'AT_MOST' | 'APPROXIMATE' }[] = [
  { forms: ['or more', 'plus', '-plus', '+'], kind: 'AT_LEAST' },
  { forms: ['or fewer', 'or less'], kind: 'AT_MOST' },
  { forms: ['or so'], kind: 'APPROXIMATE' },
];

/** Words that join two numbers into a range, with the word that may open it. */
const RANGES: readonly { open: string | null; join: readonly string[] }[] = [
  { open: 'between', join: ['and'] },
  { open: 'from', join: ['to'] },
  { open: null, join: ['to', '-', '–', 'or'] },
];

/** Words meaning none at all: a count of zero said in words. */
const ZERO_FORMS = ['no one', 'nobody', 'none', 'zero', 'no'] as const;

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Record<string, number> = { hundred: 100, thousand: 1_000, million: 1_000_000 };

// ——— tokens ———

interface Token {
  /** Lower case, curly apostrophes straightened. */
  word: string;
  start: number;
  end: number;
}

// Words (with inner hyphens: "twenty-one"), numbers (with thousands commas or a decimal part),
// and the signs that can join or follow numbers.
const TOKEN = /\d{1,3}(?:,\d{3})+(?![\d,]*\d)|\d+(?:\.\d+)?|[A-Za-z]+(?:['’-][A-Za-z]+)*|[+–-]/g;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    tokens.push({ word: match[0].toLowerCase().replace(/’/g, "'"), start: match.index, end: match.index + match[0].length });
  }
  return tokens;
}

/** How many tokens from `at` spell `form` (a space-separated sequence), or 0. Tokens must be adjacent in the text (spaces only). */
function matchForm(text: string, tokens: Token[], at: number, form: string): number {
  const parts = form === '-plus' ? ['-', 'plus'] : form.split(' ');
  for (let k = 0; k < parts.length; k++) {
    const token = tokens[at + k];
    if (!token || token.word !== parts[k]) return 0;
    if (k > 0 && !/^[ \t]*$/.test(text.slice(tokens[at + k - 1]!.end, token.start))) return 0;
  }
  return parts.length;
}

function longestForm(text: string, tokens: Token[], at: number, forms: readonly string[]): { form: string; length: number } | null {
  let best: { form: string; length: number } | null = null;
  for (const form of forms) {
    const length = matchForm(text, tokens, at, form);
    if (length > 0 && (!best || length > best.length)) best = { form, length };
  }
  return best;
}

/** True when only spaces (or nothing) separate two tokens: "five men" but not "five, men". */
const adjacent = (text: string, a: Token, b: Token) => /^[ \t]*$/.test(text.slice(a.end, b.start));

// ——— numbers ———

interface NumberRead {
  value: number;
  /** Tokens used. */
  length: number;
  /** Said as dozens ("a dozen", "two dozen"): a round count, read as approximate. */
  round: boolean;
}

/** A number in digits: "11", "1,200", or "1.5 million" (a decimal must be made whole by its scale). */
function digitsAt(text: string, tokens: Token[], at: number): NumberRead | null {
  const token = tokens[at];
  if (!token || !/^\d/.test(token.word)) return null;
  const value = Number(token.word.replace(/,/g, ''));
  const scale = tokens[at + 1] && adjacent(text, token, tokens[at + 1]!) ? SCALES[tokens[at + 1]!.word] : undefined;
  if (scale && scale >= 1000) {
    const scaled = Math.round(value * scale * 1000) / 1000;
    return Number.isInteger(scaled) ? { value: scaled, length: 2, round: false } : null;
  }
  return Number.isInteger(value) ? { value, length: 1, round: false } : null;
}

/** The value of one word of a spelled-out number below 100 ("forty", "forty-one"), or null. */
function smallWord(word: string): number | null {
  if (word in UNITS) return UNITS[word]!;
  if (word in TENS) return TENS[word]!;
  const [tens, unit, ...rest] = word.split('-');
  if (rest.length === 0 && tens! in TENS && unit! in UNITS && UNITS[unit!]! >= 1 && UNITS[unit!]! <= 9) return TENS[tens!]! + UNITS[unit!]!;
  return null;
}

/**
 * A number in words: "eleven", "twenty-one", "thirty four", "two hundred and five", "a hundred",
 * "one thousand two hundred", "seventeen hundred". Reads the longest well-formed number.
 */
function wordsAt(text: string, tokens: Token[], at: number): NumberRead | null {
  let total = 0; // the thousands and millions read so far
  let group = 0; // the part below the last scale word
  let hundred = false; // the group already has its "hundred"
  let lastScale = Infinity;
  let best: NumberRead | null = null;
  let i = at;
  if (tokens[i]?.word === 'a' || tokens[i]?.word === 'an') {
    // "a hundred", "a thousand": the article stands for one.
    const next = tokens[i + 1];
    if (!next || !(next.word in SCALES) || !adjacent(text, tokens[i]!, next)) return null;
    group = 1;
    i += 1;
  }
  for (; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (i > at && !adjacent(text, tokens[i - 1]!, token)) break;
    const small = smallWord(token.word);
    const previous = tokens[i - 1]?.word ?? '';
    if (small !== null) {
      const below100 = group % 100;
      // "thirty four" (a unit after a bare tens word); otherwise only into an empty place.
      const unitAfterTens = i > at && previous in TENS && below100 >= 20 && below100 % 10 === 0 && small >= 1 && small <= 9;
      if (below100 !== 0 && !unitAfterTens) break;
      if (i > at && smallWord(previous) !== null && !unitAfterTens) break;
      group += small;
    } else if (token.word === 'hundred') {
      if (group < 1 || group > 99 || hundred) break;
      group *= 100;
      hundred = true;
    } else if (token.word in SCALES) {
      const scale = SCALES[token.word]!;
      if (group < 1 || scale >= lastScale) break;
      total += group * scale;
      group = 0;
      hundred = false;
      lastScale = scale;
    } else if (token.word === 'and' && (hundred || lastScale < Infinity) && group % 100 === 0) {
      // "two hundred and five": "and" only inside a number, before its last part.
      const next = tokens[i + 1];
      if (!next || smallWord(next.word) === null || !adjacent(text, token, next)) break;
      continue;
    } else break;
    best = { value: total + group, length: i + 1 - at, round: false };
  }
  return best;
}

/** "a dozen", "half a dozen", "two dozen", "1 dozen": counts of twelve, read as approximate. */
function dozensAt(text: string, tokens: Token[], at: number): NumberRead | null {
  const word = tokens[at]?.word;
  const next = tokens[at + 1];
  if (word === 'half' && matchForm(text, tokens, at + 1, 'a dozen') === 2 && adjacent(text, tokens[at]!, next!)) return { value: 6, length: 3, round: true };
  if ((word === 'a' || word === 'one') && next?.word === 'dozen' && adjacent(text, tokens[at]!, next)) return { value: 12, length: 2, round: true };
  const count = digitsAt(text, tokens, at) ?? wordsAt(text, tokens, at);
  if (count && count.value > 0 && tokens[at + count.length]?.word === 'dozen' && adjacent(text, tokens[at + count.length - 1]!, tokens[at + count.length]!)) {
    return { value: count.value * 12, length: count.length + 1, round: true };
  }
  return null;
}

function numberAt(text: string, tokens: Token[], at: number): NumberRead | null {
  const candidates = [dozensAt(text, tokens, at), digitsAt(text, tokens, at), wordsAt(text, tokens, at)].filter((n): n is NumberRead => n !== null);
  candidates.sort((a, b) => b.length - a.length);
  return candidates[0] ?? null;
}

// ——— quantities ———

interface Read {
  kind: QuantityKind;
  low: number | null;
  high: number | null;
  /** Tokens used, from the start. */
  length: number;
}

/** A range of two numbers from token `at` ("between 38 and 45", "38 to 45", "four or five"), or null. */
function rangeAt(text: string, tokens: Token[], at: number): Read | null {
  for (const range of RANGES) {
    let i = at;
    if (range.open) {
      if (tokens[i]?.word !== range.open) continue;
      i += 1;
    }
    let low = numberAt(text, tokens, i);
    if (!low) continue;
    let joinAt = i + low.length;
    // "between one thousand five hundred and one thousand five hundred one": read greedily, the
    // first number swallows the join ("…hundred and one"); read it again up to an earlier join.
    for (let k = joinAt - 1; k > i && !range.join.includes(tokens[joinAt]?.word ?? ''); k--) {
      if (!range.join.includes(tokens[k]!.word)) continue;
      const shorter = numberAt(text, tokens.slice(0, k), i);
      if (shorter && i + shorter.length === k) {
        low = shorter;
        joinAt = k;
      }
    }
    const join = tokens[joinAt];
    if (!join || !range.join.includes(join.word)) continue;
    const high = numberAt(text, tokens, joinAt + 1);
    if (!high) continue;
    // "38-45" only between digits, and with nothing in between.
    if (
      (join.word === '-' || join.word === '–') &&
      !(
        /^\d/.test(tokens[joinAt - 1]!.word) &&
        /^\d/.test(tokens[joinAt + 1]!.word) &&
        tokens[joinAt - 1]!.end === join.start &&
        join.end === tokens[joinAt + 1]!.start
      )
    )
      continue;
    return { kind: 'RANGE', low: low.value, high: high.value, length: joinAt + 1 + high.length - at };
  }
  return null;
}

/** The quantity said from token `at`, or null when none starts there. */
function quantityAt(text: string, tokens: Token[], at: number): Read | null {
  const range = rangeAt(text, tokens, at);
  if (range) return range;

  const qualifier = QUALIFIERS.map((q) => ({ q, form: longestForm(text, tokens, at, q.forms) }))
    .filter((m) => m.form)
    .sort((a, b) => b.form!.length - a.form!.length)[0];
  const numberStart = qualifier ? at + qualifier.form!.length : at;
  const qualifiedRange = qualifier ? rangeAt(text, tokens, numberStart) : null;
  if (qualifiedRange) return { ...qualifiedRange, length: qualifiedRange.length + qualifier!.form!.length };
  const number = numberAt(text, tokens, numberStart);
  if (number) {
    let length = numberStart - at + number.length;
    let kind: QuantityKind = number.round ? 'APPROXIMATE' : 'EXACT';
    let shift = 0;
    if (qualifier) {
      kind = qualifier.q.kind === 'EXACT' && number.round ? 'APPROXIMATE' : qualifier.q.kind;
      shift = qualifier.q.shift;
    } else {
      const postfix = POSTFIXES.map((p) => ({ p, form: longestForm(text, tokens, at + length, p.forms) }))
        .filter((m) => m.form && (m.form.form !== '+' || tokens[at + length]!.start === tokens[at + length - 1]!.end))
        .sort((a, b) => b.form!.length - a.form!.length)[0];
      if (postfix) {
        kind = postfix.p.kind;
        length += postfix.form!.length;
      }
    }
    const value = number.value + shift;
    if (value < 0) return null;
    if (kind === 'AT_LEAST') return { kind, low: value, high: null, length };
    if (kind === 'AT_MOST') return { kind, low: null, high: value, length };
    return { kind, low: value, high: value, length };
  }

  // Vague words: a qualifier before them ("at least dozens") stays in the phrase.
  // "Some" alone ("some militants") is itself a vague word, not a qualifier.
  let vagueStart = numberStart;
  let vague = vagueAt(text, tokens, numberStart);
  if (!vague && qualifier) {
    vagueStart = at;
    vague = vagueAt(text, tokens, at);
  }
  if (vague) {
    // "dozens of" is said "dozens": the "of" belongs to what is counted, unless the word ends in it ("a number of").
    const endsInOf = vague.form.endsWith(' of') && !VAGUE_WORDS.some((w) => w.word === vague!.form);
    return { kind: 'UNQUANTIFIED', low: null, high: null, length: vagueStart - at + vague.length - (endsInOf ? 1 : 0) };
  }
  if (!qualifier) {
    const zero = longestForm(text, tokens, at, ZERO_FORMS);
    if (zero) return { kind: 'EXACT', low: 0, high: 0, length: zero.length };
  }
  return null;
}

function vagueAt(text: string, tokens: Token[], at: number): { form: string; length: number } | null {
  let vague: { form: string; length: number } | null = null;
  for (const word of VAGUE_WORDS) {
    const found = longestForm(text, tokens, at, word.forms);
    if (found && (!vague || found.length > vague.length)) vague = found;
  }
  return vague;
}

function spanOf(text: string, tokens: Token[], at: number, read: Read): QuantitySpan {
  const start = tokens[at]!.start;
  const end = tokens[at + read.length - 1]!.end;
  return { kind: read.kind, low: read.low, high: read.high, phrase: text.slice(start, end), start, end };
}

/** Why a read quantity cannot be stored, or null when it can. */
function refusal(read: Read): string | null {
  for (const n of [read.low, read.high]) {
    if (n !== null && n > MAX_COUNT) return `${n.toLocaleString('en')} is more than the largest count a figure may hold (${MAX_COUNT.toLocaleString('en')})`;
  }
  if (read.kind === 'RANGE' && read.low! >= read.high!) return `a range goes from low to high: ${read.low} is not below ${read.high}`;
  return null;
}

/**
 * Every quantity phrase in `text`, left to right, none overlapping, each with its span. Only
 * what the grammar above reads is found: words outside it are never turned into a number.
 * Phrases a figure could not hold (a range from high to low, a count above MAX_COUNT) are left out.
 */
export function findQuantityPhrases(text: string): QuantitySpan[] {
  const tokens = tokenize(text);
  const found: QuantitySpan[] = [];
  for (let at = 0; at < tokens.length; ) {
    // A number glued to letters or a hyphenated unit ("25-year-old", "3km") is not a count.
    const read = quantityAt(text, tokens, at);
    if (read && !refusal(read) && !gluedToUnit(text, tokens, at + read.length - 1) && !gluedBefore(text, tokens[at]!)) {
      found.push(spanOf(text, tokens, at, read));
      at += read.length;
    } else at += 1;
  }
  return found;
}

/** A number right after a sign, a letter or a clock's colon ("$5", "07:57", "A4") is not a count. */
function gluedBefore(text: string, token: Token): boolean {
  return /[A-Za-z0-9$£€#:.,]$/.test(text.slice(Math.max(0, token.start - 1), token.start));
}

/** A number glued to a unit or a clock ("3km", "25-year-old", "07:57", "5%") is not a count. */
function gluedToUnit(text: string, tokens: Token[], last: number): boolean {
  const token = tokens[last]!;
  const after = text.slice(token.end, token.end + 1);
  return /^[A-Za-z0-9%:]/.test(after) || (after === '-' && /^[A-Za-z]/.test(text.slice(token.end + 1, token.end + 2)));
}

/**
 * Reads one quantity phrase as a partner or a person writes it ("at least 67", "some 10",
 * "dozens", "11 people"): the phrase must start with the quantity and hold only one; words after
 * it (what is counted) are kept in `phrase`. Returns the quantity, or an error saying why not.
 */
export function readQuantityPhrase(text: string): Quantity | { error: string } {
  const phrase = text.trim().replace(/\s+/g, ' ');
  if (phrase === '') return { error: 'is empty: give the words that say how many ("at least 67", "dozens")' };
  if (phrase.length > 200) return { error: 'is longer than 200 characters: give only the words that say how many' };
  const tokens = tokenize(phrase);
  if (/^\d+\.\d+$/.test(tokens[0]?.word ?? '') && !(tokens[1] && tokens[1].word in SCALES)) {
    return { error: `${tokens[0]!.word} is not a whole number: a figure counts people` };
  }
  const read = tokens.length > 0 && tokens[0]!.start === 0 ? quantityAt(phrase, tokens, 0) : null;
  if (!read || gluedToUnit(phrase, tokens, read.length - 1)) {
    return {
      error: `"${phrase}" does not start with a quantity the gateway can read: a number (67, "eleven"), a number with a bound or an approximation ("at least 67", "up to 20", "some 10"), a range ("between 38 and 45"), or a word for an unstated number (${VAGUE_WORDS.slice(
        0,
        6,
      )
        .map((w) => `"${w.word}"`)
        .join(', ')}, …)`,
    };
  }
  const refused = refusal(read);
  if (refused) return { error: refused };
  const rest = findQuantityPhrases(phrase.slice(tokens[read.length - 1]!.end));
  if (rest.length > 0)
    return { error: `holds more than one quantity ("${spanOf(phrase, tokens, 0, read).phrase}" and "${rest[0]!.phrase}"): give one figure's words at a time` };
  return { kind: read.kind, low: read.low, high: read.high, phrase };
}
