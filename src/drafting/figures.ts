// Figures in a clause: each quantity phrase with what is counted (the victim noun after it, its
// category and side) and what happened to them (the casualty verb or noun around it). Also the
// quantities that are not figures of their own: an earlier figure a newer one revises ("revising
// an earlier death toll of five") and the parts of a breakdown ("five men, three women and three
// children"). Anything without a victim and a casualty word is not a figure.
import { findQuantityPhrases, readQuantityPhrase, type Quantity, type QuantitySpan } from '../claims/quantity-phrases.js';
import type { FigureMetric, Side, VictimCategory } from '../generated/prisma/enums.js';
import { BREAKDOWN_NOUNS, CASUALTY_NOUNS, CASUALTY_VERBS, REVISION_VERBS, SIDE_MODIFIERS, VICTIM_NOUNS } from './grammar.js';
import { longestPhraseAt, longestPhraseEndingAt, span, wordAt, type Sentence, type Word } from './text.js';
import type { Span } from './types.js';

export interface FigureReading {
  role: 'FIGURE' | 'EARLIER' | 'BREAKDOWN';
  quantity: Quantity;
  quantitySpan: Span;
  metric: FigureMetric | null;
  metricSpan: Span | null;
  victim: { category: VictimCategory; side: Side; description: string; span: Span | null; head: string };
  /** The word before an active casualty verb ("forces killed 41"), to tell operation reports. */
  agent: string | null;
  /** The words that mark a revision (for EARLIER) or open a breakdown (for BREAKDOWN). */
  cueSpan: Span | null;
  confidence: number;
  /** Word indexes of the quantity and its victim noun. */
  first: number;
  last: number;
}

const VICTIM_FORMS = VICTIM_NOUNS.flatMap((v) => v.forms.map((form) => ({ form, ...v })));
const victimForms = VICTIM_FORMS.map((v) => v.form);
const CASUALTY_VERB_FORMS = CASUALTY_VERBS.flatMap((v) => v.forms.map((form) => ({ form, metric: v.metric })));
const CASUALTY_NOUN_FORMS = CASUALTY_NOUNS.flatMap((v) => v.forms.map((form) => ({ form, metric: v.metric })));

/** Words that may stand between a verb or toll and its number ("the death toll rose to 25"). */
const LINKS = new Set([
  'of',
  'to',
  'at',
  'rose',
  'risen',
  'has',
  'had',
  'have',
  'is',
  'was',
  'stood',
  'stands',
  'reached',
  'climbed',
  'jumped',
  'increased',
  'an',
  'the',
  'a',
  'earlier',
  'previous',
  'initial',
  'revised',
  'up',
  'now',
  'put',
  'putting',
  'be',
  'been',
  'total',
  'overall',
  'official',
  'its',
  'their',
  'his',
  'her',
  'new',
  'final',
  'latest',
  'preliminary',
  'provisional',
  'from',
  'as',
  'climbing',
  'rising',
  'raised',
  'raising',
]);
/** Words between a counted noun and its passive or intransitive verb ("were also killed"). */
const AUXILIARIES = new Set([
  'were',
  'was',
  'are',
  'is',
  'have',
  'has',
  'had',
  'been',
  'being',
  'be',
  'reportedly',
  'reported',
  'slightly',
  'seriously',
  'critically',
  'badly',
  'severely',
  'lightly',
  'fatally',
  'gravely',
  'mortally',
  'also',
  'all',
  'later',
  'allegedly',
  'subsequently',
  'confirmed',
  'believed',
  'feared',
  'thought',
  'said',
  'to',
  'either',
  'both',
  'initially',
  'since',
  'then',
  'each',
  'now',
  'officially',
  'likely',
  'presumed',
  'found',
  'left',
  'in',
  'the',
  'attack',
  'blast',
]);
const BEFORE_SKIPS = new Set(['also', 'reportedly', 'allegedly', 'including']);

/** Punctuation that ends a phrase; quotes do not ("dozens of terrorists" were killed). */
const breaksAfter = (word: Word | undefined) => !word || /[,.;:!?()—–]/.test(word.post) || /^[-–—]\s/.test(word.post);
const CASUALTY_WORDS = new Set([...CASUALTY_VERBS.flatMap((v) => v.forms), ...CASUALTY_NOUNS.flatMap((v) => v.forms)]);
const BREAKDOWN_OPENERS =
  /\b(included|include|including|among them were|among them|among the dead were|among the dead|among those killed were|among the victims were|comprising|of whom|of them|of those)\s*(were\s*)?[:,]?\s*$/i;
const REVISION_BEFORE =
  /\b(earlier|previous|previously|initial|initially|original|originally|up from|down from|revised from|instead of|rather than|from an earlier|not)\b[^.;]{0,40}$/i;

/** Victim noun phrase after the quantity (with "of" for "dozens of militants"): its words, head and category. */
function victimAfter(
  words: readonly Word[],
  last: number,
  quantityStarts: Set<number>,
): { from: number; to: number; head: Pick<(typeof VICTIM_FORMS)[number], 'form' | 'category' | 'side'> } | null | 'NOT_A_VICTIM' {
  let i = last + 1;
  if (breaksAfter(words[last])) return null;
  if (words[i]?.lower === 'of' && !breaksAfter(words[i])) {
    i += 1;
    if (['the', 'those', 'its', 'their', 'his'].includes(words[i]?.lower ?? '')) i += 1;
  }
  const from = i;
  // "43 wounded", "27 injured": the casualty word itself follows; those counted are people.
  if (words[i] && CASUALTY_WORDS.has(words[i]!.lower) && !VICTIM_FORMS.some((v) => v.form === words[i]!.lower)) return null;
  let to = i - 1;
  for (let j = i; j < words.length && j < i + 7; j++) {
    const w = words[j]!;
    if (quantityStarts.has(j)) break;
    const tags = w.tags;
    if (w.lower === 'and' || w.lower === '&') {
      const next = words[j + 1];
      if (!next || quantityStarts.has(j + 1) || next.tags.has('Determiner') || next.tags.has('Verb')) break;
      to = j;
      continue;
    }
    const isVictimWord = VICTIM_FORMS.some((v) => v.form.split(' ').includes(w.lower));
    const nounish = tags.has('Noun') || tags.has('Adjective') || tags.has('ProperNoun') || tags.has('Possessive') || tags.has('Acronym') || isVictimWord;
    if (
      !nounish ||
      (tags.has('Verb') && !isVictimWord && !tags.has('Adjective')) ||
      tags.has('Preposition') ||
      tags.has('Determiner') ||
      (tags.has('Pronoun') && !isVictimWord)
    )
      break;
    to = j;
    if (breaksAfter(w)) break;
  }
  if (to < from) return null;
  for (let k = to; k >= from; k--) {
    const found = longestPhraseEndingAt(words, k, victimForms);
    if (found && k - found.length + 1 >= from) {
      const head = VICTIM_FORMS.find((v) => v.form === found.phrase)!;
      // "fighters from pro-government forces": a short phrase after the noun may say whose side they were on.
      const end = k;
      if (!breaksAfter(words[k]) && ['from', 'of', 'loyal'].includes(words[k + 1]?.lower ?? '')) {
        let j = k + 2;
        if (['the', 'to'].includes(words[j]?.lower ?? '')) j += 1;
        const pp: number[] = [];
        while (
          j < words.length &&
          pp.length < 4 &&
          (words[j]!.tags.has('Adjective') || words[j]!.tags.has('Noun') || words[j]!.tags.has('ProperNoun')) &&
          !words[j]!.tags.has('Verb')
        ) {
          pp.push(j);
          if (breaksAfter(words[j])) break;
          j += 1;
        }
        const modifier = SIDE_MODIFIERS.find((m) => pp.some((x) => m.words.includes(words[x]!.lower)));
        if (modifier) return { from, to: pp[pp.length - 1]!, head: { form: head.form, category: modifier.category, side: modifier.side } };
      }
      return { from, to: end, head };
    }
  }
  // A plural noun for people the grammar does not list ("peacekeepers", "pilgrims"): people, unless the words say more.
  const noun = words[to]!;
  if (noun.tags.has('Plural') && (noun.tags.has('Actor') || /(ers|ists|men|ians|ees|ants)$/.test(noun.lower)) && !noun.tags.has('Verb')) {
    return { from, to, head: { form: noun.lower, category: 'PEOPLE', side: 'UNSPECIFIED' } };
  }
  return 'NOT_A_VICTIM';
}

/** The metric of the last casualty word in `words`, or null. */
function metricNear(words: string): FigureMetric | null {
  const lower = words.toLowerCase();
  let best: { at: number; metric: FigureMetric } | null = null;
  for (const form of [...CASUALTY_VERB_FORMS, ...CASUALTY_NOUN_FORMS]) {
    const at = lower.search(new RegExp(`\\b${form.form}\\b`));
    if (at >= 0 && (!best || at > best.at)) best = { at, metric: form.metric };
  }
  return best?.metric ?? null;
}

/** A casualty verb or noun just before the quantity ("killing 11", "a death toll of five"). */
function metricBefore(words: readonly Word[], first: number): { metric: FigureMetric; from: number; to: number; agent: string | null } | null {
  let b = first - 1;
  while (b >= 0 && BEFORE_SKIPS.has(words[b]!.lower) && !breaksAfter(words[b])) b -= 1;
  if (b < 0 || breaksAfter(words[b])) return null;
  const verb = longestPhraseEndingAt(
    words,
    b,
    CASUALTY_VERB_FORMS.map((v) => v.form),
  );
  if (verb && !['dead', 'missing'].includes(verb.phrase)) {
    const from = b - verb.length + 1;
    const agent = words[from - 1];
    return { metric: CASUALTY_VERB_FORMS.find((v) => v.form === verb.phrase)!.metric, from, to: b, agent: agent && !breaksAfter(agent) ? agent.lower : null };
  }
  // A toll and the words that link it to the number: "the death toll rose to 25", "put the toll at 30".
  for (let k = b, steps = 0; k >= 0 && steps < 6; k--, steps++) {
    const noun = longestPhraseEndingAt(
      words,
      k,
      CASUALTY_NOUN_FORMS.map((v) => v.form),
    );
    if (noun && (noun.phrase.includes('toll') || noun.phrase === 'death count' || words[k + 1]?.lower === 'of' || words[k + 1]?.lower === 'at')) {
      return { metric: CASUALTY_NOUN_FORMS.find((v) => v.form === noun.phrase)!.metric, from: k - noun.length + 1, to: k, agent: null };
    }
    if (!LINKS.has(words[k]!.lower) || (k < b && breaksAfter(words[k]))) break;
  }
  // "The death toll from a suicide car bombing … has risen to 32": a toll is the subject, the number what it rose to.
  if (['to', 'at', 'reached', 'hit', 'passed'].includes(words[b]!.lower)) {
    // "raising the death toll from the latest escalation to 412": a verb of change anywhere between the toll and the number.
    const RISE = [
      'rose',
      'risen',
      'climbed',
      'jumped',
      'increased',
      'reached',
      'stood',
      'stands',
      'stand',
      'rising',
      'climbing',
      'hit',
      'passed',
      'raised',
      'raising',
      'revised',
      'revising',
      'bringing',
      'brought',
      'taking',
      'took',
      'pushing',
      'putting',
      'put',
    ];
    let rise = words[b]!.lower !== 'to';
    for (let k = b - 1; k >= 0 && b - k < 16; k--) {
      if (breaksAfter(words[k]) && k < b - 1) break;
      if (RISE.includes(words[k]!.lower)) rise = true;
      const noun = longestPhraseEndingAt(words, k, [
        'death toll',
        'toll',
        'number of dead',
        'number of deaths',
        'death count',
        'number of casualties',
        'number of injured',
        'number of wounded',
      ]);
      if (noun) {
        for (let v = k - noun.length; v >= 0 && v > k - noun.length - 3; v--) if (RISE.includes(words[v]!.lower)) rise = true;
        if (rise) return { metric: /injur|wound/.test(noun.phrase) ? 'INJURED' : 'KILLED', from: k - noun.length + 1, to: k, agent: null };
        break;
      }
    }
  }
  return null;
}

/** A passive or intransitive casualty verb after the counted noun ("were also killed", "died", "among the dead"). */
function metricAfter(words: readonly Word[], end: number): { metric: FigureMetric; from: number; to: number } | null {
  let a = end + 1;
  // "two soldiers, Naik Asif Ali and Sepoy Imran Khan, having fought gallantly, embraced shahadat": skip names and participles between commas.
  for (let segments = 0; breaksAfter(words[a - 1]) && segments < 3; segments++) {
    if (!/,/.test(words[a - 1]?.post ?? '')) return null;
    const segmentStart = a;
    while (a < words.length && !breaksAfter(words[a]) && a - segmentStart < 8) a += 1;
    const segment = words.slice(segmentStart, a + 1);
    const aside =
      segment.length > 0 &&
      segment.length <= 8 &&
      (segment.every((w) => /^[A-Z]/.test(w.text) || w.lower === 'and') || /ing$/.test(segment[0]!.lower) || segment[0]!.lower === 'who');
    if (!aside || !/,/.test(words[a]?.post ?? '')) return null;
    a += 1;
  }
  let skipped = 0;
  while (a < words.length && AUXILIARIES.has(words[a]!.lower) && skipped < 5) {
    // "in the attack" may stand between only before a reduced verb ("11 people in the attack were killed" is rare); stop at a break.
    if (breaksAfter(words[a])) return null;
    a += 1;
    skipped += 1;
  }
  if (words[a]?.lower === 'among' && words[a + 1]?.lower === 'the') {
    const noun = longestPhraseAt(words, a + 2, [...CASUALTY_NOUN_FORMS.map((v) => v.form), ...CASUALTY_VERB_FORMS.map((v) => v.form)]);
    if (noun) {
      const metric = [...CASUALTY_NOUN_FORMS, ...CASUALTY_VERB_FORMS].find((v) => v.form === noun.phrase)!.metric;
      return { metric, from: a, to: a + 1 + noun.length };
    }
  }
  const verb = longestPhraseAt(
    words,
    a,
    CASUALTY_VERB_FORMS.map((v) => v.form),
  );
  if (!verb) return null;
  const to = a + verb.length - 1;
  // Right after the noun with no auxiliary, a verb with an object is active: those counted did it ("five gunmen killed 11 people").
  if (skipped === 0 && !breaksAfter(words[to])) {
    const next = words[to + 1];
    if (next && (next.tags.has('Determiner') || next.tags.has('Value') || next.tags.has('Pronoun') || (next.tags.has('Noun') && !next.tags.has('Preposition'))))
      return null;
  }
  return { metric: CASUALTY_VERB_FORMS.find((v) => v.form === verb.phrase)!.metric, from: a, to };
}

const PEOPLE = VICTIM_FORMS.find((v) => v.form === 'people')!;

/** The figures, earlier figures and breakdown parts of one clause (`from`–`to`, character offsets of the text). */
export function readFigures(text: string, sentence: Sentence, from: number, to: number): FigureReading[] {
  const words = sentence.words;
  const found: QuantitySpan[] = [];
  for (const q of findQuantityPhrases(sentence.text)) {
    const start = sentence.start + q.start;
    const end = sentence.start + q.end;
    if (start < from || end > to) continue;
    found.push(...splitRevisionRange(sentence.text, q).map((part) => ({ ...part, start: part.start + sentence.start, end: part.end + sentence.start })));
  }
  const located = found
    .map((q) => {
      const first = wordAt(words, q.start);
      let last = first;
      while (last + 1 < words.length && words[last + 1]!.start < q.end) last += 1;
      return { q, first, last };
    })
    // A quantity inside a date or a time is not a count ("Jan 31", "07:57").
    .filter(
      ({ first, last }) =>
        first < words.length &&
        !words.slice(first, last + 1).some((w) => w.tags.has('Date') || w.tags.has('Time') || w.tags.has('Ordinal') || w.tags.has('Month')),
    );
  const starts = new Set(located.map((l) => l.first));

  const readings: (FigureReading & { nextJoin: boolean; afterEnd: number })[] = [];
  for (const { q, first, last } of located) {
    const victim = victimAfter(words, last, starts);
    if (victim === 'NOT_A_VICTIM') continue;
    const end = victim ? victim.to : last;
    const before = metricBefore(words, first);
    const after = before ? null : metricAfter(words, end);
    const headIsCasualty = victim && CASUALTY_NOUN_FORMS.find((c) => c.form === victim.head.form);
    const metric = before?.metric ?? after?.metric ?? headIsCasualty?.metric ?? null;
    const metricWords = before ?? after;
    const head = victim?.head ?? PEOPLE;
    const next = words[end + 1];
    readings.push({
      role: 'FIGURE',
      quantity: { kind: q.kind, low: q.low, high: q.high, phrase: q.phrase },
      quantitySpan: span(text, q.start, q.end),
      metric,
      metricSpan: metricWords
        ? span(text, words[metricWords.from]!.start, words[metricWords.to]!.end)
        : headIsCasualty && victim
          ? span(text, words[victim.to]!.start, words[victim.to]!.end)
          : null,
      victim: {
        category: head.category,
        side: head.side,
        head: head.form,
        description: victim ? text.slice(words[victim.from]!.start, words[victim.to]!.end) : 'people',
        span: victim ? span(text, words[victim.from]!.start, words[victim.to]!.end) : null,
      },
      agent: before?.agent ?? null,
      cueSpan: null,
      confidence: victim && metricWords ? 0.9 : victim || metricWords ? 0.7 : 0.5,
      first,
      last: end,
      // "10 police and 11 civilians were killed": the verb after the last one counts for all.
      nextJoin:
        (!!next && (next.lower === 'and' || next.lower === 'plus' || (/,/.test(words[end]!.post) && starts.has(end + 1)))) ||
        (/,/.test(words[end]!.post) && next?.lower === 'and'),
      afterEnd: end,
    });
  }

  // Coordination: share the verb after the last of a list, or the verb before the first.
  for (let n = readings.length - 2; n >= 0; n--) {
    const r = readings[n]!;
    const following = readings[n + 1]!;
    if (!r.metric && r.nextJoin && following.metric && following.first - r.afterEnd <= 3) {
      r.metric = following.metric;
      r.metricSpan = following.metricSpan;
      r.confidence = Math.min(r.confidence, 0.8);
    }
  }
  for (let n = 1; n < readings.length; n++) {
    const r = readings[n]!;
    const previous = readings[n - 1]!;
    if (!r.metric && previous.nextJoin && previous.metric && r.first - previous.afterEnd <= 3) {
      r.metric = previous.metric;
      r.metricSpan = previous.metricSpan;
      r.confidence = Math.min(r.confidence, 0.75);
    }
  }

  // "38 civilians had been killed and about 90 injured": the second count is of the same people.
  for (let n = 1; n < readings.length; n++) {
    const r = readings[n]!;
    const previous = readings[n - 1]!;
    if (
      r.victim.span === null &&
      previous.victim.span !== null &&
      /^\s*(and|,|, and)\s*$/.test(
        text
          .slice(previous.afterEnd < words.length ? words[previous.afterEnd]!.end : previous.quantitySpan.end, r.quantitySpan.start)
          .replace(/\b(had been|were|was|have been|has been|been)\b.*?(killed|wounded|injured|dead|arrested|abducted|missing|displaced)\b/i, ''),
      )
    ) {
      r.victim = { ...previous.victim, span: null };
    }
  }

  // Breakdowns: parts after "included", "including", "among them".
  let breakdownOpen = false;
  let previousEnd = from;
  for (const r of readings) {
    const between = text.slice(previousEnd, r.quantitySpan.start);
    const opener = BREAKDOWN_OPENERS.exec(text.slice(Math.max(from, r.quantitySpan.start - 60), r.quantitySpan.start));
    if (opener && !/[.;]/.test(opener[0])) {
      breakdownOpen = BREAKDOWN_NOUNS.includes(r.victim.head) || r.victim.span === null;
      if (breakdownOpen) r.cueSpan = span(text, r.quantitySpan.start - opener[0].length, r.quantitySpan.start);
    } else if (breakdownOpen && !/^\s*(,|and|, and|;)?\s*$/.test(between)) breakdownOpen = false;
    if (breakdownOpen && BREAKDOWN_NOUNS.includes(r.victim.head) && r.quantity.kind === 'EXACT') {
      r.role = 'BREAKDOWN';
      // What the parts are parts of ("most of the dead were civilians, including four children"): the nearest casualty word before.
      if (!r.metric) r.metric = metricNear(text.slice(from, r.quantitySpan.start));
    } else breakdownOpen = false;
    previousEnd = r.victim.span?.end ?? r.quantitySpan.end;
  }

  // An earlier figure a newer one in the same clause revises.
  for (const r of readings) {
    if (r.role !== 'FIGURE') continue;
    const lead = text.slice(Math.max(from, r.quantitySpan.start - 50), r.quantitySpan.start);
    const cue = REVISION_BEFORE.exec(lead);
    if (
      cue &&
      readings.some(
        (other) =>
          other !== r && other.role === 'FIGURE' && !REVISION_BEFORE.test(text.slice(Math.max(from, other.quantitySpan.start - 50), other.quantitySpan.start)),
      )
    ) {
      r.role = 'EARLIER';
      r.cueSpan = span(text, r.quantitySpan.start - cue[0].length, r.quantitySpan.start);
    }
  }
  // "raised the toll from five to 11": the first number is the earlier one.
  for (const r of readings) {
    if (
      r.role === 'FIGURE' &&
      /\bfrom\s*$/i.test(text.slice(Math.max(from, r.quantitySpan.start - 8), r.quantitySpan.start)) &&
      REVISION_VERBS.some((v) => new RegExp(`\\b${v}\\b`, 'i').test(text.slice(Math.max(from, r.quantitySpan.start - 60), r.quantitySpan.start)))
    ) {
      if (readings.some((other) => other !== r && other.role === 'FIGURE')) {
        r.role = 'EARLIER';
        r.cueSpan = span(text, r.quantitySpan.start - 5, r.quantitySpan.start);
      }
    }
  }

  return readings
    .filter((r) => r.role !== 'FIGURE' || r.metric !== null)
    .filter((r) => r.role !== 'EARLIER' || r.metric !== null || readings.some((o) => o.role === 'FIGURE' && o.metric))
    .map(({ nextJoin: _n, afterEnd: _a, ...r }) => r);
}

/**
 * "raised the toll from five to 11" reads as one range ("five to 11") unless a revision verb
 * comes before it: then it is two numbers, the earlier and the newer.
 */
function splitRevisionRange(sentenceText: string, q: QuantitySpan): QuantitySpan[] {
  if (q.kind !== 'RANGE') return [q];
  const lead = sentenceText.slice(Math.max(0, q.start - 60), q.start);
  const opensWithFrom = /^from\s/i.test(q.phrase) || /\bfrom\s*$/i.test(lead);
  if (!opensWithFrom || !REVISION_VERBS.some((v) => new RegExp(`\\b${v}\\b`, 'i').test(lead))) return [q];
  const inner = /^(from\s+)?(.+?)\s+to\s+(.+)$/i.exec(q.phrase);
  if (!inner) return [q];
  const lowStart = q.start + (inner[1]?.length ?? 0);
  const highStart = q.start + q.phrase.length - inner[3]!.length;
  const parts: QuantitySpan[] = [];
  for (const [start, said] of [
    [lowStart, inner[2]!],
    [highStart, inner[3]!],
  ] as const) {
    const read = readQuantityPhrase(said);
    if (!('error' in read)) parts.push({ ...read, start, end: start + said.length });
  }
  return parts.length === 2 ? parts : [q];
}
