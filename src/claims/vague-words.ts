// Words that say "how many" without a number ("dozens", "scores", "a handful"). A figure said
// this way is kept as said (UNQUANTIFIED, the words in `phrase`): no number is stored for it.
// Each word's least plain-English meaning is listed here once, for the two places that need it:
// the quantity-phrase reader (to recognise the words as a quantity at all) and the analyses,
// which use the implied lower bound only when a client asks for it (vagueWords: IMPLIED_BOUNDS),
// and then say which word implied it.

export interface VagueWord {
  /** The word as it is usually written, in lower case ("dozens"). */
  word: string;
  /** Other spellings and forms with the same meaning ("dozens of", "several dozen"). */
  forms: readonly string[];
  /** The least number the word can mean; null when it implies no number at all. */
  impliedAtLeast: number | null;
  /** Why that bound, in a sentence a journalist can check. */
  reasoning: string;
}

export const VAGUE_WORDS: readonly VagueWord[] = [
  {
    word: 'a couple',
    forms: ['a couple of', 'a couple'],
    impliedAtLeast: 2,
    reasoning: '"A couple" is two, loosely used for two or three: never fewer than two.',
  },
  {
    word: 'a few',
    forms: ['a few'],
    impliedAtLeast: 2,
    reasoning: '"A few" is a small number more than one: at least two.',
  },
  {
    word: 'a handful',
    forms: ['a handful of', 'a handful'],
    impliedAtLeast: 2,
    reasoning: '"A handful" is a small number of people, more than one: at least two.',
  },
  {
    word: 'several',
    forms: ['several'],
    impliedAtLeast: 3,
    reasoning: '"Several" is more than two but not many (Merriam-Webster: "more than two but fewer than many"): at least three.',
  },
  {
    word: 'a number of',
    forms: ['a number of'],
    impliedAtLeast: 2,
    reasoning: '"A number of" is plural and unspecified: at least two.',
  },
  {
    word: 'multiple',
    forms: ['multiple'],
    impliedAtLeast: 2,
    reasoning: '"Multiple" is more than one: at least two.',
  },
  {
    word: 'many',
    forms: ['many', 'a lot of', 'numerous'],
    impliedAtLeast: 2,
    reasoning: '"Many" is plural and says "a large number" without a scale; the only safe reading is more than one.',
  },
  {
    word: 'tens',
    forms: ['tens of', 'tens'],
    impliedAtLeast: 20,
    reasoning: '"Tens" is plural of ten: at least two tens, 20.',
  },
  {
    word: 'dozens',
    forms: ['dozens of', 'dozens'],
    impliedAtLeast: 24,
    reasoning: '"Dozens" is plural of a dozen: at least two dozen, 24.',
  },
  {
    word: 'several dozen',
    forms: ['several dozen'],
    impliedAtLeast: 36,
    reasoning: '"Several dozen" is several (at least three, as "several" above) dozens: at least 36.',
  },
  {
    word: 'scores',
    forms: ['scores of', 'scores'],
    impliedAtLeast: 40,
    reasoning: '"Scores" is plural of a score (twenty): at least two score, 40.',
  },
  {
    word: 'hundreds',
    forms: ['hundreds of', 'hundreds'],
    impliedAtLeast: 200,
    reasoning: '"Hundreds" is plural of a hundred: at least 200.',
  },
  {
    word: 'several hundred',
    forms: ['several hundred'],
    impliedAtLeast: 300,
    reasoning: '"Several hundred" is at least three hundred, as "several" is at least three.',
  },
  {
    word: 'thousands',
    forms: ['thousands of', 'thousands'],
    impliedAtLeast: 2000,
    reasoning: '"Thousands" is plural of a thousand: at least 2,000.',
  },
  {
    word: 'several thousand',
    forms: ['several thousand'],
    impliedAtLeast: 3000,
    reasoning: '"Several thousand" is at least three thousand, as "several" is at least three.',
  },
  {
    word: 'tens of thousands',
    forms: ['tens of thousands of', 'tens of thousands'],
    impliedAtLeast: 20000,
    reasoning: '"Tens of thousands" is at least two tens of thousands: 20,000.',
  },
  {
    word: 'hundreds of thousands',
    forms: ['hundreds of thousands of', 'hundreds of thousands'],
    impliedAtLeast: 200000,
    reasoning: '"Hundreds of thousands" is at least two hundred thousand: 200,000.',
  },
  {
    word: 'some',
    forms: ['some'],
    impliedAtLeast: null,
    reasoning: '"Some" alone (without a number: "some militants") says there were any at all; it implies no number.',
  },
];

/**
 * A phrase as the lexicon reads it: ASCII letters in lower case, each run of ASCII spacing one
 * space, none at the ends. Only ASCII, on purpose: the SQL twin (`vague_form`, migration
 * claim_intervals) normalises the same way whatever the database's locale, and every form is ASCII.
 */
function normalised(phrase: string): string {
  return phrase
    .replace(/[A-Z]/g, (letter) => letter.toLowerCase())
    .replace(/[ \t\n\r\f\v]+/g, ' ')
    .replace(/^ | $/g, '');
}

/**
 * The vague word whose form opens `phrase` (case and spacing ignored; the longest form wins, so
 * "several dozen" is not "several"), or null. Meant for phrases that give no number: "some 10" is
 * a number said approximately, which the phrase reader decides before asking this.
 */
export function vagueWordOf(phrase: string): VagueWord | null {
  const said = normalised(phrase);
  let best: { word: VagueWord; length: number } | null = null;
  for (const word of VAGUE_WORDS) {
    for (const form of word.forms) {
      const opens = said === form || said.startsWith(`${form} `);
      if (opens && (!best || form.length > best.length)) best = { word, length: form.length };
    }
  }
  return best?.word ?? null;
}
