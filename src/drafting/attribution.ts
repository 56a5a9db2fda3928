// Who says what in a sentence: attribution verbs ("said", "claimed", "condemned") with their
// speaker's words before or after them, parentheticals ("in a statement", "citing security
// officials"), "according to X", and which part of the sentence each speaker's words cover. A
// sentence with two speakers ("…, authorities said, though they later said …") gives two clauses.
import { ATTRIBUTION_PREFIXES, ATTRIBUTION_VERBS, DOCUMENT_NOUNS, PRONOUNS, SOURCE_CUES, UNNAMED_SPEAKERS, WEAK_ATTRIBUTION_VERBS } from './grammar.js';
import { breaksAfter, phraseAt, span, type Sentence, type Word } from './text.js';
import type { Span } from './types.js';

export interface Attribution {
  /** The speaker's words ("Atta-ur-Rehman, a senior police officer"; "he"). */
  speaker: Span;
  verb: Span;
  /** "Reuters, citing security officials, reported": the speaker is security officials, Reuters carried it. */
  carrier: Span | null;
  /** How the words reached the reporter, when the sentence says ("in a statement", "in a social media video"). */
  sourceCue: { kind: (typeof SOURCE_CUES)[number]['kind']; label: string; span: Span } | null;
  pronoun: 'person' | 'organisation' | 'plural' | null;
  /** "they later said": said after an earlier statement by the same speaker. */
  later: boolean;
  /** A day before the text's date ("a day after the military said"), or a weekday named with the verb. */
  dayShift: { days: number } | { weekday: string } | null;
}

export interface Clause {
  /** The statement's words in the sentence: the clause with its attribution. */
  start: number;
  end: number;
  /** What the speaker says: the clause without the attribution. */
  contentStart: number;
  contentEnd: number;
  attribution: Attribution | null;
}

const CONTINUATIONS = new Set(['saying', 'adding', 'claiming', 'denying', 'stating', 'noting', 'insisting', 'warning', 'alleging', 'revising', 'confirming']);
const SKIP_BEFORE_VERB = new Set([
  'later',
  'also',
  'earlier',
  'separately',
  'previously',
  'had',
  'has',
  'have',
  'would',
  'will',
  'further',
  'then',
  'subsequently',
  'initially',
  'first',
  'had',
  'repeatedly',
  'reportedly',
  'yesterday',
  'today',
  'on',
  'late',
  'privately',
  'publicly',
  'officially',
]);
const LEADING_JOINS = new Set(['and', 'but', 'though', 'although', 'while', 'as', 'whereas', 'yet', 'so']);
/** Nouns that are never speakers, though they stand before "said" ("the attacks came a day after …"). */
const NOT_SPEAKERS = new Set([
  'attack',
  'attacks',
  'blast',
  'explosion',
  'toll',
  'figures',
  'figure',
  'number',
  'claim',
  'claims',
  'it’s',
  'reports',
  'footage',
  'bombing',
  'killings',
  'violence',
  'situation',
  'incident',
  'news',
]);
const DOCUMENTS = new Set(['statement', 'video', 'release', 'post', 'message', 'communique', 'communiqué', 'tweet', 'notification', 'handout']);

const nounish = (w: Word) =>
  w.tags.has('Noun') ||
  w.tags.has('ProperNoun') ||
  w.tags.has('Adjective') ||
  w.tags.has('Possessive') ||
  w.tags.has('Acronym') ||
  w.tags.has('Pronoun') ||
  w.tags.has('Determiner') ||
  (w.tags.has('Value') && (/^[A-Z]/.test(w.text) || w.lower === 'one')) ||
  w.lower === 'of' ||
  w.lower === 'for' ||
  w.tags.has('Hyphenated') ||
  /^[A-Z]/.test(w.text) ||
  SPEAKER_NOUNS.has(w.lower);
/** Nouns of unnamed speakers, nouns even where the tagger reads a verb ("the Kabul police"). */
const SPEAKER_NOUNS = new Set(
  UNNAMED_SPEAKERS.flatMap((u) => u.forms.flatMap((f) => f.split(' '))).filter((w) => !['the', 'a', 'an', 'at', 'for', 'of'].includes(w)),
);

/** Words that may join a speaker's phrase inside it: "a spokesperson for the Sindh police", "a security official in Islamabad", "residents and a local official". */
const INNER = new Set(['of', 'for', 'in', 'at', 'from', 'and', 'with']);

/** The words of a noun phrase ending at word `last`, going left until a break or a non-noun word. */
function phraseEndingAt(words: readonly Word[], last: number): [number, number] | null {
  let first = last;
  if (!nounish(words[last]!)) return null;
  for (;;) {
    const before = words[first - 1];
    if (!before || breaksAfter(before)) break;
    if (nounish(before) && !before.tags.has('Preposition')) {
      first -= 1;
      if (words[first]!.tags.has('Determiner') && !INNER.has(words[first - 1]?.lower ?? '')) break;
      continue;
    }
    // A joining word with a noun phrase before it ("spokesperson for the", "residents and a").
    const further = words[first - 2];
    if (INNER.has(before.lower) && further && !breaksAfter(further) && (further.tags.has('Noun') || further.tags.has('Plural')) && !further.tags.has('Verb')) {
      first -= 1;
      continue;
    }
    break;
  }
  while (first <= last && LEADING_JOINS.has(words[first]!.lower)) first += 1;
  // "of"/"for" may join a phrase ("a spokesman for the group") but never start or end one.
  while (first <= last && (words[first]!.lower === 'of' || words[first]!.lower === 'for')) first += 1;
  return first <= last ? [first, last] : null;
}

/** The words of a noun phrase starting at word `first`, going right until a break or a non-noun word. */
function phraseStartingAt(words: readonly Word[], first: number): [number, number] | null {
  if (!words[first] || !nounish(words[first]!)) return null;
  let last = first;
  while (
    !breaksAfter(words[last]) &&
    words[last + 1] &&
    nounish(words[last + 1]!) &&
    (!words[last + 1]!.tags.has('Verb') || SPEAKER_NOUNS.has(words[last + 1]!.lower))
  )
    last += 1;
  while (last > first && (words[last]!.lower === 'of' || words[last]!.lower === 'for' || words[last]!.tags.has('Determiner'))) last -= 1;
  return [first, last];
}

/** The start of the comma-separated segment that ends at word `last`. */
function segmentStart(words: readonly Word[], last: number, floor: number): number {
  let first = last;
  while (first - 1 >= floor && !breaksAfter(words[first - 1])) first -= 1;
  return first;
}

const isSpeakerLike = (words: readonly Word[], [first, last]: [number, number]) => {
  const ws = words.slice(first, last + 1);
  if (ws.some((w) => w.tags.has('Value') && !/^[A-Z]/.test(w.text) && w.lower !== 'one')) return false;
  if (NOT_SPEAKERS.has(ws[ws.length - 1]!.lower)) return false;
  return ws.some(
    (w) =>
      w.tags.has('Noun') || w.tags.has('ProperNoun') || w.tags.has('Pronoun') || w.tags.has('Acronym') || /^[A-Z]/.test(w.text) || SPEAKER_NOUNS.has(w.lower),
  );
};

function sourceCueIn(text: string, from: number, to: number): Attribution['sourceCue'] {
  const lower = text.slice(from, to).toLowerCase();
  for (const cue of SOURCE_CUES) {
    for (const phrase of cue.phrases) {
      const at = lower.search(new RegExp(`\\b${phrase.replace(/ /g, '\\s+')}\\b`));
      if (at >= 0) return { kind: cue.kind, label: cue.label, span: span(text, from + at, from + at + phrase.length) };
    }
  }
  return null;
}

function dayShiftOf(text: string, before: string, verbEnd: number): Attribution['dayShift'] {
  if (/\ba day (after|before)\b[^.]*$/i.test(before) && /\bafter\b/i.test(before.slice(-80))) return { days: -1 };
  if (/\byesterday\b/i.test(before.slice(-40)) || /^\s*(on\s+)?yesterday\b/i.test(text.slice(verbEnd, verbEnd + 20))) return { days: -1 };
  const weekday = /^\s*on\s+(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/i.exec(text.slice(verbEnd, verbEnd + 20));
  return weekday ? { weekday: weekday[1]!.toLowerCase() } : null;
}

/** The attributions of one sentence, in order, each with the clause it covers. */
export function readClauses(text: string, sentence: Sentence): Clause[] {
  const words = sentence.words;
  const found: (Attribution & { verbIndex: number; speakerFirst: number; contentBefore: boolean; speakerLast: number })[] = [];

  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    // "according to officials": the speaker follows.
    const prefix = ATTRIBUTION_PREFIXES.find((p) => phraseAt(words, i, p) > 0 && p === 'according to');
    if (prefix) {
      const length = prefix.split(' ').length;
      const np = phraseStartingAt(words, i + length);
      // "the attack, which he said targeted a camp": an aside inside the clause, not a speaker of its own.
      const RELATIVES = ['which', 'that', 'who', 'what', 'where'];
      if (
        np &&
        words[np[1]]!.tags.has('Pronoun') &&
        (RELATIVES.includes(words[np[0] - 1]?.lower ?? '') || words.slice(np[0], np[1]).some((x) => RELATIVES.includes(x.lower)))
      )
        continue;
      if (np && isSpeakerLike(words, np)) {
        const speaker = span(text, words[np[0]]!.start, words[np[1]]!.end);
        found.push({
          speaker,
          verb: span(text, w.start, words[i + length - 1]!.end),
          carrier: null,
          sourceCue: null,
          pronoun: null,
          later: false,
          dayShift: null,
          verbIndex: i,
          speakerFirst: i,
          speakerLast: np[1],
          contentBefore: i > 0,
        });
        i = np[1];
      }
      continue;
    }
    if (!ATTRIBUTION_VERBS.includes(w.lower)) continue;
    if (!w.tags.has('Verb') && !['said', 'told', 'claimed', 'reported'].includes(w.lower)) continue;
    const previous = words[i - 1];
    // ", saying …" goes on with the speaker before; "was said to" is no attribution.
    if (CONTINUATIONS.has(w.lower) && (!previous || /,/.test(previous.post) || previous.tags.has('Conjunction'))) continue;
    if (previous && ['was', 'were', 'is', 'are', 'be', 'been', 'being'].includes(previous.lower)) continue;

    let j = i - 1;
    let later = false;
    while (j >= 0 && SKIP_BEFORE_VERB.has(words[j]!.lower) && !breaksAfter(words[j])) {
      if (words[j]!.lower === 'later') later = true;
      j -= 1;
    }
    let np: [number, number] | null = null;
    let carrier: Span | null = null;
    let cue: Attribution['sourceCue'] = null;
    if (j >= 0 && /,/.test(words[j]!.post)) {
      // A comma right before the verb: a parenthetical or an appositive stands between speaker and verb.
      const floor = found.length ? found[found.length - 1]!.verbIndex + 1 : 0;
      const first = segmentStart(words, j, floor);
      const segment = words[first]!;
      const before = first - 1;
      if ((segment.lower === 'citing' || segment.lower === 'quoting') && before >= 0 && /,/.test(words[before]!.post)) {
        const cited = phraseStartingAt(words, first + 1);
        const outer = phraseEndingAt(words, before);
        if (cited && outer) {
          carrier = span(text, words[outer[0]]!.start, words[outer[1]]!.end);
          np = cited;
          found.push(attribution(np, outer[0], outer[1]));
          continue;
        }
      } else if (
        (segment.tags.has('Preposition') || /ing$/.test(segment.lower) || ['who', 'which', 'whose'].includes(segment.lower)) &&
        before >= 0 &&
        /,/.test(words[before]!.post)
      ) {
        // ", in a statement,", ", speaking on condition of anonymity,", ", who declined to be named,": asides between speaker and verb.
        cue = sourceCueIn(text, segment.start, words[j]!.end);
        np = phraseEndingAt(words, before);
      } else {
        const appositive = phraseEndingAt(words, j);
        if (appositive && appositive[0] === first && before >= 0 && /,/.test(words[before]!.post)) {
          // "Atta-ur-Rehman, a senior police officer," or "a senior police official, Abdul Haq,": a name and a description.
          const other = phraseEndingAt(words, before);
          const hasName = (range: [number, number] | null) =>
            !!range && words.slice(range[0], range[1] + 1).some((x, k) => /^[A-Z]/.test(x.text) && !(range[0] + k === 0 && x.tags.has('Determiner')));
          const isDescription = (range: [number, number] | null) =>
            !!range && words.slice(range[0], range[1] + 1).some((x) => x.tags.has('Determiner') || (x.tags.has('Noun') && !/^[A-Z]/.test(x.text)));
          np = other && (hasName(other) || hasName(appositive)) && (isDescription(appositive) || isDescription(other)) ? [other[0], appositive[1]] : appositive;
        } else if (appositive && appositive[0] === first) np = appositive;
      }
    } else if (j >= 0) np = phraseEndingAt(words, j);

    if (np && isSpeakerLike(words, np)) {
      // "A statement from the ministry said": the ministry speaks, in a statement.
      const docAt = words.slice(np[0], np[1] + 1).findIndex((x) => DOCUMENTS.has(x.lower));
      if (docAt >= 0 && ['from', 'by', 'of'].includes(words[np[0] + docAt + 1]?.lower ?? '') && np[0] + docAt + 2 <= np[1]) {
        cue = sourceCueIn(text, words[np[0]]!.start, words[np[1]]!.end) ?? cue;
        np = [np[0] + docAt + 2, np[1]];
      }
      if (
        WEAK_ATTRIBUTION_VERBS.has(w.lower) &&
        words[np[1]]!.tags.has('Pronoun') === false &&
        !words.slice(np[0], np[1] + 1).some((x) => /^[A-Z]/.test(x.text) || x.tags.has('Plural'))
      )
        continue;
      // "one resident told AFP": a news agency heard it.
      if ((w.lower === 'told' || w.lower === 'tells') && !carrier) {
        const heard = phraseStartingAt(words, i + 1);
        if (heard && words.slice(heard[0], heard[1] + 1).some((x) => /^[A-Z]/.test(x.text))) carrier = span(text, words[heard[0]]!.start, words[heard[1]]!.end);
      }
      // "the statement said": the source is the document.
      const documentKind =
        DOCUMENT_NOUNS[
          words
            .slice(np[0], np[1] + 1)
            .map((x) => x.lower)
            .filter((x) => x !== 'the')
            .join(' ')
        ];
      if (documentKind && !cue)
        cue = { kind: documentKind, label: SOURCE_CUES.find((c) => c.kind === documentKind)!.label, span: span(text, words[np[0]]!.start, words[np[1]]!.end) };
      found.push(attribution(np, np[0], np[1]));
      continue;
    }
    // '"…," said a police spokesman': the speaker after the verb.
    if (!np && (i === 0 || /[,"”]/.test(words[i - 1]!.post))) {
      const after = phraseStartingAt(words, i + 1);
      if (after && isSpeakerLike(words, after) && !WEAK_ATTRIBUTION_VERBS.has(w.lower))
        found.push({ ...attribution(after, after[0], after[1]), contentBefore: i > 0 });
    }

    function attribution(speakerWords: [number, number], first: number, last: number) {
      const speakerSpan = span(text, words[speakerWords[0]]!.start, words[speakerWords[1]]!.end);
      const only = speakerWords[0] === speakerWords[1] ? words[speakerWords[0]]!.lower : '';
      const leading = words[first - 1];
      // "…, officials said." / "…, one resident told AFP, …" / "…, a spokesman said Sunday.": the words came before.
      // "In its latest update, OCHA said at least 38 …": they come after.
      const after = text.slice(w.end, sentence.end);
      const closes = /^(\s+(?!that\b)[^\s,.;:—–"“”0-9]+){0,4}?\s*([,.;:!?—–"”]|$)/.test(after) && !/^\s*(that|he|she|it|they)\b/i.test(after);
      const contentBefore = first > 0 && !!leading && (/[,"”]/.test(leading.post) || /[—–-]/.test(leading.post)) && closes;
      const clauseTo = text.slice(sentence.start, w.start);
      return {
        speaker: speakerSpan,
        verb: span(text, w.start, w.end),
        carrier,
        sourceCue: cue,
        pronoun: PRONOUNS[only] ?? null,
        later,
        dayShift: dayShiftOf(text, clauseTo, w.end),
        verbIndex: i,
        speakerFirst: Math.min(first, speakerWords[0]),
        speakerLast: Math.max(last, speakerWords[1]),
        contentBefore,
      };
    }
  }

  if (found.length === 0) return [{ start: sentence.start, end: sentence.end, contentStart: sentence.start, contentEnd: sentence.end, attribution: null }];

  // Each speaker's clause: words before a sentence-final attribution, or after a leading one.
  const clauses: Clause[] = [];
  let boundary = sentence.start;
  found.forEach((a, n) => {
    const next = found[n + 1];
    const verbWord = words[a.verbIndex]!;
    const speakerStart = words[a.speakerFirst]!.start;
    let start = boundary;
    let end: number;
    let contentStart: number;
    let contentEnd: number;
    if (a.contentBefore) {
      contentStart = boundary;
      contentEnd = speakerStart;
      // ", revising an earlier death toll of five": a participle after the verb goes on with the same speaker.
      const tail = next ? words[next.speakerFirst]!.start : sentence.end;
      const participle = /^[,\s]+(\w+ing)\b/.exec(text.slice(verbWord.end, tail));
      end = participle && CONTINUATIONS.has(participle[1]!.toLowerCase()) ? tail : Math.max(verbWord.end, words[a.speakerLast]!.end);
      if (participle && CONTINUATIONS.has(participle[1]!.toLowerCase())) contentEnd = tail;
      else if (!next) end = sentence.end;
    } else {
      contentStart = Math.max(verbWord.end, words[a.speakerLast]!.end);
      contentEnd = next ? words[next.speakerFirst]!.start : sentence.end;
      end = contentEnd;
      if (next?.contentBefore) {
        // The next speaker's words come before it: this clause ends where they begin (at a comma or a conjunction).
        end = contentEnd = Math.min(contentEnd, lastBreakBefore(words, next.speakerFirst, a.verbIndex));
      }
    }
    // Skip the punctuation and joining word that separate two clauses (", though").
    while (start < end && /[\s,;:—–-]/.test(text[start]!)) start += 1;
    const cue = a.sourceCue ?? sourceCueIn(text, start, end);
    clauses.push({ start, end: trimEnd(text, start, end), contentStart: Math.max(start, contentStart), contentEnd, attribution: { ...a, sourceCue: cue } });
    boundary = end;
  });
  if (boundary < sentence.end && clauses.length > 0 && text.slice(boundary, sentence.end).trim().length > 2) {
    clauses[clauses.length - 1]!.end = sentence.end;
    clauses[clauses.length - 1]!.contentEnd = Math.max(clauses[clauses.length - 1]!.contentEnd, sentence.end);
  }
  return clauses;
}

function lastBreakBefore(words: readonly Word[], index: number, floor: number): number {
  for (let k = index - 1; k > floor; k--) if (breaksAfter(words[k])) return words[k]!.end;
  return words[index]!.start;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /[\s,;:]/.test(text[end - 1]!)) end -= 1;
  return end;
}
