// The quantity-phrase reader: how numbers are said in conflict reporting, read as the gateway
// stores them. Examples from real reporting, then properties over generated phrases and texts,
// checked against a plain reference (the spelling and the qualifier meanings below) and against
// compromise's own reading of numbers in words.
import fc from 'fast-check';
import nlp from 'compromise';
import { describe, expect, it } from 'vitest';
import { findQuantityPhrases, MAX_COUNT, readQuantityPhrase, type Quantity } from '../src/claims/quantity-phrases.js';
import { VAGUE_WORDS } from '../src/claims/vague-words.js';
import { parseInput } from '../src/rules/parse.js';
import { InvalidInputError } from '../src/rules/errors.js';
import { quantityInput, recordStatementInput } from '../src/writes/claim-inputs.js';

const q = (kind: Quantity['kind'], low: number | null, high: number | null) => ({ kind, low, high });

describe('reading a quantity phrase', () => {
  it.each([
    ['at least 67', q('AT_LEAST', 67, null)],
    ['some 10', q('APPROXIMATE', 10, 10)],
    ['about 40', q('APPROXIMATE', 40, 40)],
    ['nearly 50', q('APPROXIMATE', 50, 50)],
    ['more than 100', q('AT_LEAST', 101, null)],
    ['over 100', q('AT_LEAST', 101, null)],
    ['up to 20', q('AT_MOST', null, 20)],
    ['as many as 20', q('AT_MOST', null, 20)],
    ['fewer than 20', q('AT_MOST', null, 19)],
    ['between 38 and 45', q('RANGE', 38, 45)],
    // the first number's own "and" ("five hundred and one") is not the range's (a property test found it)
    ['between one thousand five hundred and one thousand five hundred one', q('RANGE', 1500, 1501)],
    ['38 to 45', q('RANGE', 38, 45)],
    ['38-45', q('RANGE', 38, 45)],
    ['four or five', q('RANGE', 4, 5)],
    ['five', q('EXACT', 5, 5)],
    ['eleven', q('EXACT', 11, 11)],
    ['11 people', q('EXACT', 11, 11)],
    ['1,200', q('EXACT', 1200, 1200)],
    ['1.5 million', q('EXACT', 1_500_000, 1_500_000)],
    ['two hundred and five', q('EXACT', 205, 205)],
    ['a hundred', q('EXACT', 100, 100)],
    ['a dozen', q('APPROXIMATE', 12, 12)],
    ['half a dozen', q('APPROXIMATE', 6, 6)],
    ['at least a dozen', q('AT_LEAST', 12, null)],
    ['67 or more', q('AT_LEAST', 67, null)],
    ['dozens', q('UNQUANTIFIED', null, null)],
    ['dozens of militants', q('UNQUANTIFIED', null, null)],
    ['scores', q('UNQUANTIFIED', null, null)],
    ['hundreds', q('UNQUANTIFIED', null, null)],
    ['a handful', q('UNQUANTIFIED', null, null)],
    ['no soldiers', q('EXACT', 0, 0)],
    ['none', q('EXACT', 0, 0)],
    ['no one', q('EXACT', 0, 0)],
  ])('%s', (phrase, expected) => {
    expect(readQuantityPhrase(phrase)).toEqual({ ...expected, phrase });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['lots', /does not start with a quantity/],
    ['killed at least 5', /does not start with a quantity/],
    ['between 45 and 38', /45 is not below 38/],
    ['5 killed and 6 wounded', /more than one quantity/],
    ['2.5', /not a whole number/],
    ['20 million', /more than the largest count/],
    ['25-year-old', /does not start with a quantity/],
  ])('refuses %j with a reason', (phrase, reason) => {
    const read = readQuantityPhrase(phrase);
    expect(read).toHaveProperty('error');
    expect((read as { error: string }).error).toMatch(reason);
  });
});

// ——— a reference spelling of numbers, written independently of the reader ———
const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
interface Style {
  hyphen: boolean;
  and: boolean;
}
function below100(n: number, style: Style): string {
  if (n < 20) return ONES[n]!;
  return TENS[Math.floor(n / 10)]! + (n % 10 ? (style.hyphen ? '-' : ' ') + ONES[n % 10] : '');
}
function below1000(n: number, style: Style): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (!hundreds) return below100(rest, style);
  return `${ONES[hundreds]} hundred${rest ? (style.and ? ' and ' : ' ') + below100(rest, style) : ''}`;
}
function spell(n: number, style: Style): string {
  if (n === 0) return 'zero';
  const parts: string[] = [];
  const millions = Math.floor(n / 1_000_000);
  const thousands = Math.floor((n % 1_000_000) / 1000);
  const rest = n % 1000;
  if (millions) parts.push(`${below1000(millions, style)} million`);
  if (thousands) parts.push(`${below1000(thousands, style)} thousand`);
  if (rest) parts.push((parts.length && rest < 100 && style.and ? 'and ' : '') + below1000(rest, style));
  return parts.join(' ');
}
const style = fc.record({ hyphen: fc.boolean(), and: fc.boolean() });
const count = fc.integer({ min: 0, max: MAX_COUNT });
const withCommas = (n: number) => n.toLocaleString('en-US');

/** The write rules hold for whatever the reader gives (the same rules the database enforces). */
function storable({ kind, low, high, phrase }: Quantity) {
  const quantity = { kind, low, high, phrase };
  parseInput(recordStatementInput, {
    kind: 'CASUALTY_REPORT',
    claimant: { kind: 'UNNAMED_GROUP', description: 'officials' },
    text: 'x',
    figures: [{ metric: 'KILLED', victimCategory: 'PEOPLE', side: 'UNSPECIFIED', victimDescription: 'people', quantity }],
  });
}

describe('properties', () => {
  it('every whole number written in digits, with or without thousands commas, reads back as itself', () => {
    fc.assert(
      fc.property(count, fc.boolean(), (n, commas) => {
        const phrase = commas ? withCommas(n) : String(n);
        expect(readQuantityPhrase(phrase)).toEqual({ kind: 'EXACT', low: n, high: n, phrase });
      }),
    );
  });

  it('every whole number written in words reads back as itself, as compromise reads it (below a million)', () => {
    fc.assert(
      fc.property(count, style, fc.boolean(), (n, s, capital) => {
        let phrase = spell(n, s);
        if (capital) phrase = phrase[0]!.toUpperCase() + phrase.slice(1);
        expect(readQuantityPhrase(phrase)).toEqual({ kind: 'EXACT', low: n, high: n, phrase });
        // compromise misreads some millions ("one million one hundred and one thousand" as
        // 1,000,101,000), one reason the reader keeps its own number grammar.
        if (n < 1_000_000) expect(nlp(phrase).numbers().get()).toEqual([n]);
      }),
      { numRuns: 300 },
    );
  });

  // What each qualifier means, as a journalist would say it (the reference for the reader's tables).
  const MEANINGS: [string, (n: number) => ReturnType<typeof q>][] = [
    ['at least', (n) => q('AT_LEAST', n, null)],
    ['no fewer than', (n) => q('AT_LEAST', n, null)],
    ['more than', (n) => q('AT_LEAST', n + 1, null)],
    ['over', (n) => q('AT_LEAST', n + 1, null)],
    ['up to', (n) => q('AT_MOST', null, n)],
    ['no more than', (n) => q('AT_MOST', null, n)],
    ['as many as', (n) => q('AT_MOST', null, n)],
    ['fewer than', (n) => q('AT_MOST', null, n - 1)],
    ['less than', (n) => q('AT_MOST', null, n - 1)],
    ['some', (n) => q('APPROXIMATE', n, n)],
    ['about', (n) => q('APPROXIMATE', n, n)],
    ['around', (n) => q('APPROXIMATE', n, n)],
    ['nearly', (n) => q('APPROXIMATE', n, n)],
    ['almost', (n) => q('APPROXIMATE', n, n)],
    ['an estimated', (n) => q('APPROXIMATE', n, n)],
    ['exactly', (n) => q('EXACT', n, n)],
  ];

  it('a number with a bound or an approximation means what the words say, and can be stored', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MEANINGS), fc.integer({ min: 1, max: MAX_COUNT - 1 }), fc.boolean(), style, ([form, meaning], n, words, s) => {
        const phrase = `${form} ${words ? spell(n, s) : String(n)}`;
        const read = readQuantityPhrase(phrase);
        expect(read).toEqual({ ...meaning(n), phrase });
        storable(read as Quantity);
      }),
    );
  });

  it('two numbers joined as a range read as RANGE when the first is lower, and are refused otherwise', () => {
    const joins = [
      (a: string, b: string) => `between ${a} and ${b}`,
      (a: string, b: string) => `${a} to ${b}`,
      (a: string, b: string) => `from ${a} to ${b}`,
      (a: string, b: string) => `${a} or ${b}`,
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.constantFrom(...joins),
        fc.boolean(),
        style,
        (a, b, join, words, s) => {
          const say = (n: number) => (words ? spell(n, s) : String(n));
          const phrase = join(say(a), say(b));
          const read = readQuantityPhrase(phrase);
          if (a < b) {
            expect(read).toEqual({ kind: 'RANGE', low: a, high: b, phrase });
            storable(read as Quantity);
          } else expect(read).toHaveProperty('error');
        },
      ),
    );
  });

  it('every vague word of the shared lexicon is UNQUANTIFIED, with no number', () => {
    for (const word of VAGUE_WORDS) {
      for (const form of word.forms) {
        expect(readQuantityPhrase(form)).toMatchObject({ kind: 'UNQUANTIFIED', low: null, high: null });
      }
    }
  });

  // Words outside the grammar: none is a number, a qualifier, a vague word or a joiner.
  const FILLER = [
    'militants',
    'were',
    'killed',
    'in',
    'the',
    'province',
    'said',
    'officials',
    'attack',
    'Reuters',
    'on',
    'Saturday',
    'police',
    'wounded',
    'after',
    'camp',
    'Gwadar',
    'by',
    'security',
    'forces',
    'people,',
    'reported.',
    '(BLA)',
    'said:',
    '“militants”',
  ];
  const filler = fc.array(fc.constantFrom(...FILLER), { minLength: 1, maxLength: 4 }).map((words) => words.join(' '));

  /** Words the reader should find a phrase in (`written`), the phrase, and what it means. */
  const embedded: fc.Arbitrary<{ written?: string; phrase: string; meaning: ReturnType<typeof q> }> = fc.oneof(
    fc.tuple(count, fc.boolean(), style).map(([n, words, s]) => ({ phrase: words ? spell(n, s) : withCommas(n), meaning: q('EXACT', n, n) })),
    fc
      .tuple(fc.constantFrom(...MEANINGS), fc.integer({ min: 1, max: 100_000 }))
      .map(([[form, meaning], n]) => ({ phrase: `${form} ${n}`, meaning: meaning(n) })),
    fc
      .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 999 }))
      .map(([a, d]) => ({ phrase: `between ${a} and ${a + d}`, meaning: q('RANGE', a, a + d) })),
    // "dozens of militants" is said "dozens"; "a number of" keeps its "of".
    fc
      .constantFrom(...VAGUE_WORDS.flatMap((w) => w.forms.map((form) => ({ written: form, phrase: w.word === form ? form : form.replace(/ of$/, '') }))))
      .map(({ written, phrase }) => ({ written, phrase, meaning: q('UNQUANTIFIED', null, null) })),
  );

  it('in running text, every phrase is found once, with its exact words and span; nothing else is', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(filler, embedded), { maxLength: 6 }), filler, (parts, tail) => {
        let text = '';
        const expected: { start: number; phrase: string; meaning: ReturnType<typeof q> }[] = [];
        for (const [words, { written, phrase, meaning }] of parts) {
          text += `${words} `;
          expected.push({ start: text.length, phrase, meaning });
          text += `${written ?? phrase} `;
        }
        text += tail;
        const found = findQuantityPhrases(text);
        expect(found.map((f) => ({ start: f.start, phrase: f.phrase, meaning: q(f.kind, f.low, f.high) }))).toEqual(expected);
        for (const f of found) expect(text.slice(f.start, f.end)).toBe(f.phrase);
      }),
    );
  });

  it('text made only of words outside the grammar yields no quantity', () => {
    fc.assert(
      fc.property(fc.array(filler, { maxLength: 20 }), (words) => {
        expect(findQuantityPhrases(words.join(' '))).toEqual([]);
      }),
    );
  });

  it('words sent alone as a quantity are stored as the reader reads them, labelled so, or refused on phrase with a code', () => {
    const phrases = fc.oneof(
      embedded.map((e) => e.phrase),
      fc.tuple(embedded, filler).map(([e, words]) => `${e.phrase} ${words}`),
      filler,
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(phrases, (phrase) => {
        const read = readQuantityPhrase(phrase);
        try {
          const parsed = parseInput(quantityInput, { phrase });
          expect('error' in read).toBe(false);
          expect(parsed).toEqual({ ...read, readFromPhrase: true });
          // The reading, sent back as the writer's own, passes the same rules unchanged.
          expect(parseInput(quantityInput, { ...read })).toEqual({ ...read, readFromPhrase: false });
        } catch (error) {
          if (!(error instanceof InvalidInputError)) throw error;
          expect(error.issues).toHaveLength(1);
          expect(error.issues[0]).toMatchObject({ field: 'phrase', code: expect.stringMatching(/^(NOT_A_QUANTITY|EMPTY|TOO_LONG|INVALID_TEXT)$/) });
          if (error.issues[0]!.code === 'NOT_A_QUANTITY') expect(error.issues[0]!.rule).toContain((read as { error: string }).error);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on any text; whatever it reads has its span and can be stored', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        const read = readQuantityPhrase(text);
        if (!('error' in read)) storable(read);
        for (const f of findQuantityPhrases(text)) {
          expect(text.slice(f.start, f.end)).toBe(f.phrase);
          storable(f);
        }
      }),
    );
  });
});
