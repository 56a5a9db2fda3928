// What spans the statements of a draft: a statement the text repeats (a standfirst and its
// paragraph) is kept once, and a newer figure revises an older one told in another statement.
import { REVISION_VERBS } from './grammar.js';
import { normalise } from './known.js';
import { span } from './text.js';
import type { Draft, DraftStatement } from './types.js';

/** A statement repeated later in the text (a standfirst, a summary) is kept once. Revisions are re-pointed. */
export function withoutRepeats(statements: DraftStatement[]): DraftStatement[] {
  const keyOf = (s: DraftStatement) =>
    JSON.stringify([s.claimant.label, s.kind, s.figures.map((f) => [f.metric, f.side, f.quantity.kind, f.quantity.low, f.quantity.high])]);
  const kept: DraftStatement[] = [];
  const newIndex = new Map<number, number>();
  statements.forEach((s, n) => {
    const twin = s.figures.length > 0 ? kept.findIndex((k) => keyOf(k) === keyOf(s)) : kept.findIndex((k) => normalise(k.text) === normalise(s.text));
    if (twin >= 0) newIndex.set(n, twin);
    else {
      newIndex.set(n, kept.length);
      kept.push(s);
    }
  });
  for (const s of kept) for (const f of s.figures) if (f.supersedes) f.supersedes = { ...f.supersedes, statement: newIndex.get(f.supersedes.statement)! };
  return kept;
}

/**
 * Revisions across statements: a toll that "rose to" a new number, or any figure after a
 * correction notice ("An earlier version of this article said 30"), supersedes the latest earlier
 * figure that counts the same thing (metric, side, who) in the same incident.
 */
export function linkUpdates(draft: Draft) {
  const correction = /\b(correction|corrected|an earlier version)\b/i.test(draft.text);
  const rise = new RegExp(`\\b(${REVISION_VERBS.join('|')})\\b`, 'i');
  const superseded = new Set(
    draft.statements.flatMap((s) => s.figures.flatMap((f) => (f.supersedes ? [`${f.supersedes.statement}:${f.supersedes.figure}`] : []))),
  );
  draft.statements.forEach((s, si) =>
    s.figures.forEach((f) => {
      if (f.supersedes) return;
      const words = draft.text.slice(Math.max(s.textSpan.start, f.evidence.quantity.start - 40), f.evidence.quantity.start);
      if (!correction && !rise.test(words)) return;
      for (let earlier = si - 1; earlier >= 0; earlier--) {
        const e = draft.statements[earlier]!;
        const index = e.figures.findIndex(
          (g, gi) =>
            !superseded.has(`${earlier}:${gi}`) &&
            g.metric === f.metric &&
            g.side === f.side &&
            g.victimCategory === f.victimCategory &&
            g.incidentId === f.incidentId &&
            (g.quantity.low !== f.quantity.low || g.quantity.high !== f.quantity.high),
        );
        if (index >= 0) {
          f.supersedes = { statement: earlier, figure: index };
          f.evidence.revision = span(draft.text, f.evidence.quantity.start - words.length, f.evidence.quantity.start);
          f.alternatives.push({ description: 'a separate count, not a revision of the earlier figure', confidence: 0.35 });
          superseded.add(`${earlier}:${index}`);
          return;
        }
      }
    }),
  );
}
