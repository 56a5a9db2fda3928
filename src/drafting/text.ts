// The text a draft is read from: checked (size, HTML, language) and cut into paragraphs,
// sentences and words by compromise (tokens with their parts of speech and character offsets).
import nlp from 'compromise';
import { InvalidInputError, type IssueCode } from '../rules/errors.js';
import { storable, UNSTORABLE_TEXT } from '../rules/text.js';
import { MAX_DRAFT_CHARACTERS } from './limits.js';

/** A text the drafter will not read: the client's mistake, said like every broken input rule. */
const refuse = (rule: string, code: IssueCode) => new InvalidInputError([{ field: 'text', rule, code }]);

export interface Word {
  text: string;
  /** Lower case, curly quotes straightened. */
  lower: string;
  start: number;
  end: number;
  tags: ReadonlySet<string>;
  /** Punctuation and spaces after the word. */
  post: string;
  pre: string;
}

export interface Sentence {
  start: number;
  end: number;
  text: string;
  words: Word[];
  paragraph: number;
}

export interface Paragraph {
  start: number;
  end: number;
  sentences: Sentence[];
}

export interface ReadText {
  text: string;
  title: { start: number; end: number; text: string } | null;
  byline: string | null;
  paragraphs: Paragraph[];
}

const straighten = (s: string) => s.replace(/[’‘]/g, "'").replace(/[“”]/g, '"');

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  mdash: '—',
  ndash: '–',
  hellip: '…',
};

/** Text from HTML: scripts, styles and tags removed, block ends as line breaks, entities decoded. */
function stripHtml(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|head|noscript|template|svg)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<\/?(p|div|br|h[1-6]|li|tr|section|article|header|footer|blockquote|title)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// Words that make up a large share of any English prose (and of no other language's).
const ENGLISH_FUNCTION_WORDS = new Set(
  'the of and to in a is was were said that for on by with at from it as had has have an be their his her its after they he she this which who not are or but also been'.split(
    ' ',
  ),
);

/** Share of a text's words that are common English function words (about a third in English prose). */
export function englishShare(text: string): { share: number; words: number; latin: number } {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const letters = text.match(/\p{L}/gu) ?? [];
  const latin = letters.filter((c) => /[a-zA-Z\u00C0-\u024F]/.test(c)).length;
  const common = words.filter((w) => ENGLISH_FUNCTION_WORDS.has(w)).length;
  return { share: words.length ? common / words.length : 0, words: words.length, latin: letters.length ? latin / letters.length : 1 };
}

/**
 * Checks a text before drafting: refuses empty and oversized texts (InvalidInputError), strips
 * HTML (with a note), and says when a text is not English (then nothing is drafted).
 */
export function prepareText(raw: string): { text: string; notes: string[]; english: boolean } {
  const notes: string[] = [];
  if (raw.length > MAX_DRAFT_CHARACTERS) {
    throw refuse(
      `is ${raw.length.toLocaleString('en')} characters long; at most ${MAX_DRAFT_CHARACTERS.toLocaleString('en')} are drafted at once: split the text`,
      'TOO_LONG',
    );
  }
  if (!storable(raw)) throw refuse(UNSTORABLE_TEXT, 'INVALID_TEXT');
  let text = raw.replace(/\r\n?/g, '\n');
  if (/<\/?(html|body|p|div|span|br|a|h[1-6]|article|section|script|style|ul|li|table|em|strong|b|i)\b[^>]*>/i.test(text)) {
    text = stripHtml(text);
    notes.push(
      'The text was HTML: tags, scripts and styles were stripped and entities decoded; evidence spans point into the stripped text (returned as `text`).',
    );
  }
  text = text.trim();
  if (text === '') throw refuse('is empty: give the words of a report to draft claims from', 'EMPTY');
  const { share, words, latin } = englishShare(text);
  const english = latin >= 0.5 && (words < 8 || share >= 0.1);
  if (!english) {
    notes.push(
      `The text does not look like English (${Math.round(latin * 100)}% Latin letters, ${Math.round(share * 100)}% common English words; English prose has about a third): the drafter reads English only, so nothing is proposed.`,
    );
  }
  return { text, notes, english };
}

/** A line that is not prose: a byline, a reading time, a dateline with no sentence. */
const METADATA =
  /^(by[:\s]|updated\b|first published|published\b|\d+\s*min read|follow us|share\b|read more|photo\b|image\b|file photo|advertisement|subscribe)/i;

/** Cuts a text into paragraphs (blank lines, or lines ending a sentence), sentences and words. */
export function readText(text: string): ReadText {
  const blocks: { start: number; end: number }[] = [];
  const lineRe = /[^\n]+/g;
  for (const m of text.matchAll(lineRe)) {
    if (m[0].trim() === '') continue;
    const start = m.index + (m[0].length - m[0].trimStart().length);
    const end = m.index + m[0].trimEnd().length;
    const previous = blocks[blocks.length - 1];
    // A hard-wrapped line continues its paragraph when the previous line ended mid-sentence and there was no blank line.
    if (
      previous &&
      !/\n\s*\n/.test(text.slice(previous.end, start)) &&
      !/[.!?"”’:)]$/.test(text.slice(previous.start, previous.end)) &&
      /^[a-z]/.test(text[start]!)
    ) {
      previous.end = end;
    } else blocks.push({ start, end });
  }

  let title: ReadText['title'] = null;
  let byline: string | null = null;
  const paragraphs: Paragraph[] = [];
  blocks.forEach((block, n) => {
    const raw = text.slice(block.start, block.end);
    const byMatch = /^by[:\s]\s*(.+)$/i.exec(raw);
    if (byMatch && !byline && raw.length < 120) byline = byMatch[1]!.trim();
    const wordCount = raw.split(/\s+/).length;
    const endsSentence = /[.!?"”’]$/.test(raw);
    if (n === 0 && !endsSentence && wordCount <= 25) {
      title = { start: block.start, end: block.end, text: raw };
      return;
    }
    if (METADATA.test(raw) || (!endsSentence && wordCount < 12)) return;
    const paragraph: Paragraph = { start: block.start, end: block.end, sentences: [] };
    const doc = nlp(raw);
    for (const s of doc.json({ offset: true, terms: { offset: true } }) as CompromiseSentence[]) {
      const words: Word[] = s.terms.map((t) => ({
        text: t.text,
        lower: straighten(t.text.toLowerCase()),
        start: block.start + t.offset.start,
        end: block.start + t.offset.start + t.offset.length,
        tags: new Set(t.tags),
        post: t.post,
        pre: t.pre,
      }));
      if (words.length === 0) continue;
      const start = words[0]!.start - words[0]!.pre.length;
      const last = words[words.length - 1]!;
      const end = last.end + last.post.trimEnd().length;
      paragraph.sentences.push({ start, end, text: text.slice(start, end), words, paragraph: paragraphs.length });
    }
    if (paragraph.sentences.length > 0) paragraphs.push(paragraph);
  });
  return { text, title, byline, paragraphs };
}

interface CompromiseSentence {
  terms: { text: string; pre: string; post: string; tags: string[]; offset: { start: number; length: number } }[];
}

/** How many words from `at` spell `phrase` (space-separated, lower case), with no punctuation inside; 0 if they do not. */
export function phraseAt(words: readonly Word[], at: number, phrase: string): number {
  const parts = phrase.split(' ');
  for (let k = 0; k < parts.length; k++) {
    const word = words[at + k];
    if (!word || word.lower !== parts[k]) return 0;
    if (k < parts.length - 1 && word.post.trim() !== '') return 0;
  }
  return parts.length;
}

/** The longest of `phrases` starting at word `at`: its length in words, and which phrase. */
export function longestPhraseAt<T extends string>(words: readonly Word[], at: number, phrases: readonly T[]): { length: number; phrase: T } | null {
  let best: { length: number; phrase: T } | null = null;
  for (const phrase of phrases) {
    const length = phraseAt(words, at, phrase);
    if (length > 0 && (!best || length > best.length)) best = { length, phrase };
  }
  return best;
}

/** The longest of `phrases` ending at word `last` (inclusive). */
export function longestPhraseEndingAt<T extends string>(words: readonly Word[], last: number, phrases: readonly T[]): { length: number; phrase: T } | null {
  let best: { length: number; phrase: T } | null = null;
  for (const phrase of phrases) {
    const length = phrase.split(' ').length;
    if (last - length + 1 < 0) continue;
    if (phraseAt(words, last - length + 1, phrase) === length && (!best || length > best.length)) best = { length, phrase };
  }
  return best;
}

/** True when punctuation (a comma, a full stop, a dash, a quote) follows the word. */
export const breaksAfter = (word: Word | undefined) => !word || /[,.;:!?()"“”—–]/.test(word.post) || /^[-–—]\s/.test(word.post);

/** The first word whose span contains or starts after `offset`. */
export function wordAt(words: readonly Word[], offset: number): number {
  const i = words.findIndex((w) => w.end > offset);
  return i < 0 ? words.length : i;
}

export const span = (text: string, start: number, end: number) => ({ start, end, text: text.slice(start, end) });
