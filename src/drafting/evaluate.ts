// Scoring drafts against texts annotated by hand: precision and recall per part (claimant,
// statement kind, attribution chain, quantity, metric, side, victim category, revision,
// breakdown) and overall. Gold statements are aligned with drafted ones by where their words are
// in the text; gold figures with drafted ones by where their quantity phrase is.
import { fold, normalise } from './known.js';
import type { Draft } from './types.js';

export interface GoldFigure {
  metric: string;
  side: string;
  victimCategory: string;
  kind: string;
  low: number | null;
  high: number | null;
  /** The quantity's words, found inside the statement's text. */
  phrase: string;
  /** The earlier figure this one revises: [statement, figure] indexes in the gold file. */
  supersedes?: [number, number] | null;
  breakdown?: Record<string, number>;
}

export interface GoldStatement {
  /** The statement's words, exactly as in the text (the first occurrence is meant). */
  text: string;
  /** The known entity's name, the new entity's name, the unnamed speaker's words, or "(not stated)". */
  claimant: string;
  kind: string;
  /** Outermost first: the publisher's name, a cited agency's name, or a source kind (OFFICIAL_STATEMENT). */
  chain: string[];
  figures: GoldFigure[];
}

export interface Gold {
  style: string;
  publishedAt: string | null;
  publisher: string | null;
  statements: GoldStatement[];
}

export const PARTS = [
  'claimant',
  'statement kind',
  'attribution chain',
  'figure (kind, low, high)',
  'metric',
  'side',
  'victim category',
  'revision',
  'breakdown',
] as const;
export type Part = (typeof PARTS)[number];
export interface Count {
  gold: number;
  predicted: number;
  correct: number;
}
export type Scores = Record<Part, Count>;

export const emptyScores = (): Scores => Object.fromEntries(PARTS.map((p) => [p, { gold: 0, predicted: 0, correct: 0 }])) as Scores;

export function addScores(into: Scores, more: Scores): Scores {
  for (const p of PARTS) for (const k of ['gold', 'predicted', 'correct'] as const) into[p][k] += more[p][k];
  return into;
}

const same = (a: string, b: string) => normalise(a) === normalise(b);

/** Where a gold text is in the text: its first occurrence (quotes and case aside). */
function locate(text: string, words: string, from = 0, to = text.length): number {
  const hay = fold(text.slice(from, to));
  const at = hay.indexOf(fold(words));
  return at < 0 ? -1 : from + at;
}

/** Scores one draft against its gold annotation. Also returns what did not match, for reading. */
export function scoreDraft(gold: Gold, draft: Draft): { scores: Scores; misses: string[] } {
  const scores = emptyScores();
  const misses: string[] = [];
  const text = draft.text;

  // Align statements by overlap (intersection over union) of their spans.
  const goldSpans = gold.statements.map((g) => {
    const at = locate(text, g.text);
    if (at < 0) throw new Error(`gold statement text not found in the text: "${g.text.slice(0, 60)}…"`);
    return { start: at, end: at + g.text.length };
  });
  const pairs: [number, number, number][] = [];
  goldSpans.forEach((g, gi) =>
    draft.statements.forEach((p, pi) => {
      const inter = Math.max(0, Math.min(g.end, p.textSpan.end) - Math.max(g.start, p.textSpan.start));
      const union = Math.max(g.end, p.textSpan.end) - Math.min(g.start, p.textSpan.start);
      if (inter > 0) pairs.push([gi, pi, inter / union]);
    }),
  );
  pairs.sort((a, b) => b[2] - a[2]);
  const statementOf = new Map<number, number>();
  const usedPredicted = new Set<number>();
  for (const [gi, pi, iou] of pairs) {
    if (iou < 0.25 || statementOf.has(gi) || usedPredicted.has(pi)) continue;
    statementOf.set(gi, pi);
    usedPredicted.add(pi);
  }
  const chainOf = (pi: number) => draft.statements[pi]!.sourceChain.map((i) => draft.sources[i]!.label);
  for (const part of ['claimant', 'statement kind', 'attribution chain'] as const) {
    scores[part].gold = gold.statements.length;
    scores[part].predicted = draft.statements.length;
  }
  gold.statements.forEach((g, gi) => {
    const pi = statementOf.get(gi);
    if (pi === undefined) {
      misses.push(`statement not drafted: ${g.claimant}: "${g.text.slice(0, 70)}"`);
      return;
    }
    const p = draft.statements[pi]!;
    if (same(p.claimant.label, g.claimant)) scores.claimant.correct += 1;
    else misses.push(`claimant: "${p.claimant.label}" for "${g.claimant}" ("${g.text.slice(0, 50)}")`);
    if (p.kind === g.kind) scores['statement kind'].correct += 1;
    else misses.push(`kind: ${p.kind} for ${g.kind} ("${g.text.slice(0, 50)}")`);
    const chain = chainOf(pi);
    if (chain.length === g.chain.length && chain.every((c, n) => same(c, g.chain[n]!))) scores['attribution chain'].correct += 1;
    else misses.push(`chain: ${chain.join(' > ')} for ${g.chain.join(' > ')} ("${g.text.slice(0, 50)}")`);
  });
  for (const [pi, p] of draft.statements.entries()) if (!usedPredicted.has(pi)) misses.push(`extra statement: ${p.claimant.label}: "${p.text.slice(0, 70)}"`);

  // Align figures by where their quantity is said.
  const predicted = draft.statements.flatMap((s, si) => s.figures.map((f, fi) => ({ s: si, f: fi, figure: f })));
  const goldFigures = gold.statements.flatMap((g, gi) =>
    g.figures.map((f, fi) => {
      // The phrase as written first ("Two of the gunmen", not "two motorcycles"), then in any case.
      const exact = text.slice(goldSpans[gi]!.start, goldSpans[gi]!.end).search(new RegExp(`\\b${f.phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`));
      const at = exact >= 0 ? goldSpans[gi]!.start + exact : locate(text, f.phrase, goldSpans[gi]!.start, goldSpans[gi]!.end);
      if (at < 0) throw new Error(`gold figure phrase "${f.phrase}" not found in its statement "${g.text.slice(0, 50)}"`);
      return { g: gi, f: fi, figure: f, start: at, end: at + f.phrase.length };
    }),
  );
  const figureOf = new Map<string, (typeof predicted)[number]>();
  const usedFigures = new Set<(typeof predicted)[number]>();
  for (const gf of goldFigures) {
    const candidates = predicted
      .filter((p) => !usedFigures.has(p))
      .map((p) => ({
        p,
        distance:
          p.figure.evidence.quantity.end <= gf.start
            ? gf.start - p.figure.evidence.quantity.end
            : p.figure.evidence.quantity.start >= gf.end
              ? p.figure.evidence.quantity.start - gf.end
              : 0,
      }))
      .filter((c) => c.distance === 0)
      .sort((a, b) => a.distance - b.distance);
    const chosen = candidates[0]?.p;
    if (chosen) {
      figureOf.set(`${gf.g}:${gf.f}`, chosen);
      usedFigures.add(chosen);
    }
  }
  const figureParts = ['figure (kind, low, high)', 'metric', 'side', 'victim category'] as const;
  for (const part of figureParts) {
    scores[part].gold = goldFigures.length;
    scores[part].predicted = predicted.length;
  }
  scores.revision.gold = goldFigures.filter((g) => g.figure.supersedes).length;
  scores.revision.predicted = predicted.filter((p) => p.figure.supersedes).length;
  scores.breakdown.gold = goldFigures.filter((g) => g.figure.breakdown && Object.keys(g.figure.breakdown).length).length;
  scores.breakdown.predicted = predicted.filter((p) => p.figure.breakdown.length).length;
  for (const gf of goldFigures) {
    const p = figureOf.get(`${gf.g}:${gf.f}`);
    const g = gf.figure;
    const where = `"${g.phrase}" in "${gold.statements[gf.g]!.text.slice(0, 40)}"`;
    if (!p) {
      misses.push(`figure not drafted: ${g.metric} ${g.side} ${where}`);
      continue;
    }
    const q = p.figure.quantity;
    if (q.kind === g.kind && q.low === g.low && q.high === g.high) scores['figure (kind, low, high)'].correct += 1;
    else misses.push(`quantity: ${q.kind} ${q.low}–${q.high} for ${g.kind} ${g.low}–${g.high} ${where}`);
    if (p.figure.metric === g.metric) scores.metric.correct += 1;
    else misses.push(`metric: ${p.figure.metric} for ${g.metric} ${where}`);
    if (p.figure.side === g.side) scores.side.correct += 1;
    else misses.push(`side: ${p.figure.side} for ${g.side} ${where}`);
    if (p.figure.victimCategory === g.victimCategory) scores['victim category'].correct += 1;
    else misses.push(`victim category: ${p.figure.victimCategory} for ${g.victimCategory} ${where}`);
    if (g.supersedes) {
      const target = figureOf.get(`${g.supersedes[0]}:${g.supersedes[1]}`);
      const s = p.figure.supersedes;
      if (target && s && s.statement === target.s && s.figure === target.f) scores.revision.correct += 1;
      else misses.push(`revision missed ${where}`);
    }
    if (g.breakdown && Object.keys(g.breakdown).length) {
      const mine = Object.fromEntries(p.figure.breakdown.map((b) => [b.label, b.count]));
      if (JSON.stringify(Object.entries(mine).sort()) === JSON.stringify(Object.entries(g.breakdown).sort())) scores.breakdown.correct += 1;
      else misses.push(`breakdown ${JSON.stringify(mine)} for ${JSON.stringify(g.breakdown)} ${where}`);
    }
  }
  for (const p of predicted)
    if (!usedFigures.has(p)) misses.push(`extra figure: ${p.figure.metric} ${p.figure.side} "${p.figure.quantity.phrase}" (${p.figure.victimDescription})`);
  return { scores, misses };
}

export const precision = (c: Count) => (c.predicted === 0 ? 1 : c.correct / c.predicted);
export const recall = (c: Count) => (c.gold === 0 ? 1 : c.correct / c.gold);

export function overall(scores: Scores): Count {
  return PARTS.reduce(
    (sum, p) => ({ gold: sum.gold + scores[p].gold, predicted: sum.predicted + scores[p].predicted, correct: sum.correct + scores[p].correct }),
    { gold: 0, predicted: 0, correct: 0 },
  );
}

/** The scores as a Markdown table. */
export function scoreTable(scores: Scores): string {
  const row = (name: string, c: Count) => `| ${name} | ${c.gold} | ${c.predicted} | ${c.correct} | ${precision(c).toFixed(2)} | ${recall(c).toFixed(2)} |`;
  return [
    '| part | gold | drafted | correct | precision | recall |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...PARTS.map((p) => row(p, scores[p])),
    row('**overall**', overall(scores)),
  ].join('\n');
}

// ——— the seed article, whose hand coding (prisma/seed/seed-article.json) is its gold standard ———

interface SeedFile {
  organisations: { key: string; name: string }[];
  officials: { key: string; name: string | null; description: string }[];
  sources: { key: string; kind: string; publisher?: string | null }[];
  statements: {
    key: string;
    kind: string;
    text: string;
    sourceChain: string[];
    claimant: { kind: string; organisation?: string; official?: string; description: string };
    figures?: {
      key: string;
      metric: string;
      side: string;
      victimCategory: string;
      quantityKind: string;
      low: number | null;
      high: number | null;
      phrase: string;
      supersedes?: string;
      breakdown?: Record<string, number>;
    }[];
  }[];
}

/** The seed file's statements as gold: claimants by name (or words), chains by publisher or kind. */
export function goldFromSeed(seed: SeedFile, meta: { publishedAt: string; publisher: string; style: string }): Gold {
  const orgName = (key: string) => seed.organisations.find((o) => o.key === key)!.name;
  const figureAt = new Map<string, [number, number]>();
  seed.statements.forEach((s, si) => (s.figures ?? []).forEach((f, fi) => figureAt.set(f.key, [si, fi])));
  return {
    ...meta,
    statements: seed.statements.map((s) => ({
      text: s.text,
      kind: s.kind,
      claimant: s.claimant.organisation
        ? orgName(s.claimant.organisation)
        : s.claimant.official
          ? (() => {
              const o = seed.officials.find((x) => x.key === s.claimant.official)!;
              return o.name ?? o.description;
            })()
          : s.claimant.kind === 'UNNAMED_GROUP' && s.claimant.description.startsWith('not stated')
            ? '(not stated)'
            : s.claimant.description,
      chain: s.sourceChain.map((key) => {
        const source = seed.sources.find((x) => x.key === key)!;
        return source.publisher ? orgName(source.publisher) : source.kind;
      }),
      figures: (s.figures ?? []).map((f) => ({
        metric: f.metric,
        side: f.side,
        victimCategory: f.victimCategory,
        kind: f.quantityKind,
        low: f.low,
        high: f.high,
        phrase: f.phrase,
        supersedes: f.supersedes ? figureAt.get(f.supersedes)! : null,
        breakdown: f.breakdown,
      })),
    })),
  };
}
