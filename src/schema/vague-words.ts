// Vague quantity words in analyses: how a client asks for the bounds they imply, and how every
// answer that used one names the word. The lexicon lives in src/claims/vague-words.ts.
import type { VagueWordReading } from '../claims/interval.js';
import type { VagueWord } from '../claims/vague-words.js';
import { builder } from './builder.js';

export const VagueWordReadingEnum = builder.enumType('VagueWordReading', {
  description:
    'How figures said in words without a number ("dozens") are read by an analysis. The figures themselves always stay as said (UNQUANTIFIED, with their words).',
  values: {
    NO_NUMBER: {
      description: 'The default: words give no number. Added to numbers they keep the lows and leave the high open; compared with numbers they take no side.',
    },
    IMPLIED_BOUNDS: {
      description:
        'A word in the lexicon gives the least number it implies, open above ("dozens" → at least 24), and the answer lists each word it used in `impliedBounds`. Words the lexicon does not know, or that imply no number ("some"), still give none.',
    },
  } satisfies Record<VagueWordReading, { description: string }>,
});

/** A vague word and how many of an answer's figures it gave a bound to. */
export interface ImpliedBoundShape {
  word: VagueWord;
  figureCount: number;
}

/** One entry per word, in the order the words first appear. */
export function impliedBoundsByWord(words: readonly VagueWord[]): ImpliedBoundShape[] {
  const counts = new Map<VagueWord, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts].map(([word, figureCount]) => ({ word, figureCount }));
}

export const ImpliedBound = builder.objectRef<ImpliedBoundShape>('ImpliedBound').implement({
  description: 'A lower bound that was not said as a number but implied by a vague word, used only because the client asked for `vagueWords: IMPLIED_BOUNDS`.',
  fields: (t) => ({
    word: t.string({ description: 'The word as the lexicon lists it ("dozens").', resolve: (bound) => bound.word.word }),
    impliedAtLeast: t.int({ description: 'The least number the word implies (24 for "dozens").', resolve: (bound) => bound.word.impliedAtLeast! }),
    reasoning: t.string({ description: 'Why the word implies that bound.', resolve: (bound) => bound.word.reasoning }),
    figureCount: t.exposeInt('figureCount', { description: 'How many of the figures behind this answer the word gave the bound to.' }),
  }),
});
