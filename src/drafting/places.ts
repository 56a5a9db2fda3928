// Where and what: places the text names (matched to known places by name and alias, or proposed
// new after "in"/"near"), and the incident each statement is about (a known incident scored by
// its places, words, kind and date, or one proposed new for the text).
import type { IncidentKind, PlaceKind } from '../generated/prisma/enums.js';
import { INCIDENT_CUES, PLACE_KIND_CUES, WEEKDAYS } from './grammar.js';
import { findName, namesOf, normalise, type Known, type KnownIncident } from './known.js';
import { span } from './text.js';
import type { DraftIncident, DraftPlace, Span } from './types.js';

export interface PlaceMention {
  placeId: number;
  span: Span;
}

/** Known places named in `text` between `from` and `to`, leaving out words inside `exclude` (a speaker's "Pakistan’s Interior Minister"). */
export function placeMentions(known: Known, text: string, from: number, to: number, exclude: readonly Span[] = []): PlaceMention[] {
  const part = text.slice(from, to);
  const found: PlaceMention[] = [];
  for (const place of known.places) {
    for (const name of namesOf(place)) {
      let at = findName(part, name);
      while (at >= 0) {
        const start = from + at;
        const end = start + name.length;
        if (!exclude.some((e) => start >= e.start && end <= e.end) && !found.some((f) => f.span.start <= start && f.span.end >= end)) {
          found.push({ placeId: place.id, span: span(text, start, end) });
        }
        at = findName(part, name, at + 1);
      }
    }
  }
  return found.sort((a, b) => a.span.start - b.span.start);
}

export function ancestorsOf(known: Known, placeId: number): number[] {
  const parent = new Map(known.places.map((p) => [p.id, p.parentId]));
  const out: number[] = [];
  for (let at = parent.get(placeId) ?? null, steps = 0; at !== null && steps < 50; at = parent.get(at) ?? null, steps++) out.push(at);
  return out;
}

/** The most specific of the places mentioned (not a parent of another mentioned), nearest to `near`. */
export function mostSpecific(known: Known, mentions: readonly PlaceMention[], near: number): PlaceMention | null {
  const ids = new Set(mentions.map((m) => m.placeId));
  const ancestors = new Set(mentions.flatMap((m) => ancestorsOf(known, m.placeId)));
  const leaves = mentions.filter((m) => !ancestors.has(m.placeId) || ids.size === 1);
  const pool = leaves.length ? leaves : mentions;
  return [...pool].sort((a, b) => Math.abs(a.span.start - near) - Math.abs(b.span.start - near))[0] ?? null;
}

/** "in Turbat", "near Mach", "the Kech district": a place name the gateway does not know, with its kind. */
export function unknownPlaceAfterPreposition(known: Known, text: string, from: number, to: number): { name: string; kind: PlaceKind; span: Span } | null {
  const part = text.slice(from, to);
  const re =
    /\b(?:in|near|at|outside|across|from)\s+(?:the\s+)?((?:[A-Z][\p{L}'’-]+)(?:\s+[A-Z][\p{L}'’-]+){0,2})(\s+(?:district|province|city|town|village|area|region|valley|county))?/gu;
  for (const m of part.matchAll(re)) {
    const name = m[1]!;
    if (known.places.some((p) => namesOf(p).some((n) => normalise(n) === normalise(name)))) continue;
    if (
      WEEKDAYS.includes(name.toLowerCase()) ||
      /^(January|February|March|April|May|June|July|August|September|October|November|December|The|A|An)$/.test(name)
    )
      continue;
    if (known.organisations.some((o) => namesOf(o).some((n) => normalise(n) === normalise(name)))) continue;
    const kindWord = (m[2] ?? '').trim().toLowerCase();
    const kind = PLACE_KIND_CUES.find((c) => c.words.includes(kindWord))?.kind ?? 'CITY';
    const start = from + m.index + m[0].indexOf(name);
    return { name, kind, span: span(text, start, start + name.length) };
  }
  return null;
}

const STOP = new Set(
  'that this with from were have been their they which after before during said says also about into over than them there these those when where while would could should other some more most such only across including near area areas people killed attack attacks officials security'.split(
    ' ',
  ),
);
const stem = (w: string) => w.replace(/(ing|ed|es|s)$/, '');
const contentWords = (s: string) => new Set((normalise(s).match(/\p{L}{4,}/gu) ?? []).filter((w) => !STOP.has(w)).map(stem));

/** Incident kinds the words of a text suggest, strongest cue first. */
export function incidentKindsIn(words: string): IncidentKind[] {
  const lower = ` ${normalise(words)} `;
  return INCIDENT_CUES.filter((cue) => cue.words.some((w) => lower.includes(` ${w} `) || lower.includes(` ${w},`) || lower.includes(` ${w}.`))).map(
    (cue) => cue.kind,
  );
}

/** The UTC day `on <weekday>` in `words` points to, on or before `day`, or null. */
export function weekdayDate(words: string, day: Date | null): Date | null {
  if (!day) return null;
  const named = /\bon\s+(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/i.exec(words);
  if (!named) return null;
  const wanted = WEEKDAYS.indexOf(named[1]!.toLowerCase());
  const back = (day.getUTCDay() - wanted + 7) % 7;
  return new Date(day.getTime() - back * 86_400_000);
}

export interface IncidentScore {
  incident: KnownIncident;
  score: number;
  reasons: string[];
  /** How much of the score the places give, how many words are shared, whether the kind matches. */
  places: number;
  shared: number;
  kindMatch: boolean;
}

/** Known incidents scored for a statement: its places, its words, the incident kind it suggests, its date. */
export function scoreIncidents(known: Known, words: string, placeIds: readonly number[], day: Date | null): IncidentScore[] {
  const mine = contentWords(words);
  const named = new Set(placeIds);
  const namedAncestors = new Set(placeIds.flatMap((id) => ancestorsOf(known, id)));
  const kinds = incidentKindsIn(words);
  const placeWords = new Set(known.places.flatMap((p) => namesOf(p).flatMap((n) => [...contentWords(n)])));
  return known.incidents
    .map((incident) => {
      const reasons: string[] = [];
      let score = 0;
      let places = 0;
      for (const p of incident.placeIds) {
        if (named.has(p)) places += places === 0 ? 3 : 1.5;
        else if (ancestorsOf(known, p).some((a) => named.has(a))) places += places === 0 ? 1.5 : 0.5;
        else if (namedAncestors.has(p)) places += 0.25;
      }
      if (places > 0) reasons.push(places >= 3 ? 'same place' : 'a place inside or around one named');
      score += places;
      const theirs = contentWords(`${incident.title} ${incident.description ?? ''}`);
      // Place names are counted once, as places, not again as words.
      const shared = [...mine].filter((w) => theirs.has(w) && !placeWords.has(w));
      if (shared.length) {
        score += Math.min(4, shared.length);
        reasons.push(`shared words: ${shared.slice(0, 5).join(', ')}`);
      }
      if (kinds.length && kinds.includes(incident.kind)) {
        score += kinds[0] === incident.kind ? 2 : 1;
        reasons.push(`kind ${incident.kind}`);
      }
      if (day && incident.startedAt) {
        const apart = Math.abs(incident.startedAt.getTime() - day.getTime());
        if (apart <= 86_400_000) {
          score += 1.5;
          reasons.push('same day');
        } else if (apart > 2 * 86_400_000) score -= 2;
      }
      return { incident, score, reasons, places, shared: shared.length, kindMatch: kinds.includes(incident.kind) };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
}

/** The least score for an incident to be proposed as the match (same place and a shared word, or many shared words). */
export const INCIDENT_MATCH_SCORE = 4.5;

/**
 * The incident a statement is about: the best score, if its places or many of its words match
 * (a statement naming no place and sharing few words is left to the text's main incident); and
 * sibling parts of the same incident that score nearly as well ("roads were blocked and a blast
 * was heard": two incidents).
 */
export function incidentFromScores(scores: IncidentScore[], evidence: Span | null): { best: DraftIncident; siblings: DraftIncident[] } | null {
  const best = scores[0];
  if (!best || best.score < INCIDENT_MATCH_SCORE || (best.places === 0 && best.shared < 4)) return null;
  const second = scores[1]?.score ?? 0;
  const draftOf = (s: IncidentScore, confidence: number): DraftIncident => ({
    incidentId: s.incident.id,
    externalId: s.incident.externalId ?? '',
    title: s.incident.title,
    kind: s.incident.kind,
    startedAt: s.incident.startedAt,
    placeIds: s.incident.placeIds,
    evidence,
    confidence,
    alternatives: [],
    matchedBy: s.reasons.join('; '),
  });
  const siblings = scores
    .slice(1)
    .filter(
      (s) => s.score >= best.score * 0.8 && s.kindMatch && s.places > 0 && s.incident.parentId !== null && s.incident.parentId === best.incident.parentId,
    );
  const rest = scores.slice(1).filter((s) => !siblings.includes(s));
  return {
    best: {
      ...draftOf(best, Math.round((best.score / (best.score + (siblings.length ? (rest[0]?.score ?? 0) : second))) * 100) / 100),
      alternatives: rest
        .slice(0, 3)
        .filter((s) => s.score >= INCIDENT_MATCH_SCORE * 0.6)
        .map((s) => ({
          incidentId: s.incident.id,
          description: `${s.incident.title} (${s.reasons.join('; ')})`,
          confidence: Math.round((s.score / (best.score + s.score)) * 100) / 100,
        })),
    },
    siblings: siblings.map((s) => draftOf(s, Math.round((s.score / (best.score + s.score)) * 100) / 100)),
  };
}

export type { DraftPlace };
