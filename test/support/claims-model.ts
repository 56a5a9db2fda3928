// A reference model of the claims analyses, in plain TypeScript over plain rows: figures,
// statements, incident trees, places, revisions, retractions and moments. It restates the rules
// the README gives (claims analysis) without the gateway's code, so that test/claims-model.test.ts
// can check the gateway against it. Only the vague-word lexicon is shared: it is data.
import { vagueWordOf } from '../../src/claims/vague-words.js';

export type Kind = 'EXACT' | 'APPROXIMATE' | 'AT_LEAST' | 'AT_MOST' | 'RANGE' | 'UNQUANTIFIED';
export type Reading = 'NO_NUMBER' | 'IMPLIED_BOUNDS';
export type Combination = 'ENVELOPE' | 'LOWEST_CLAIM' | 'HIGHEST_CLAIM';
export type Method = 'CONSERVATIVE' | 'RANGE' | 'OFFICIAL_ONLY' | 'EXCLUDE_UNVERIFIED';
export type Grouping = 'NONE' | 'DAY' | 'WEEK' | 'MONTH' | 'PLACE' | 'CLAIMANT';

export interface PlaceRow {
  id: number;
  parentId: number | null;
  name: string;
}
export interface IncidentRow {
  id: number;
  parentId: number | null;
  placeId: number;
  startedAt: Date | null;
  title: string;
}
export interface StatementRow {
  id: number;
  claimant: string; // the claimant's name, unique in a world
  madeAt: Date | null;
  createdAt: Date;
  retractedAt: Date | null;
  verification: string;
  affiliation: string;
}
export interface FigureRow {
  id: number;
  statementId: number;
  incidentId: number | null;
  placeId: number | null;
  metric: string;
  side: string;
  kind: Kind;
  low: number | null;
  high: number | null;
  phrase: string;
  supersedesId: number | null;
  retractedAt: Date | null;
}
export interface World {
  places: PlaceRow[];
  incidents: IncidentRow[];
  statements: StatementRow[];
  figures: FigureRow[];
}

/** What the record looked like at `t`: later statements unsaid, later retractions undone. */
export function replay(world: World, t: Date): World {
  const before = (at: Date | null) => (at !== null && at <= t ? at : null);
  const statements = world.statements.filter((s) => (s.madeAt ?? s.createdAt) <= t).map((s) => ({ ...s, retractedAt: before(s.retractedAt) }));
  const kept = new Set(statements.map((s) => s.id));
  const figures = world.figures.filter((f) => kept.has(f.statementId)).map((f) => ({ ...f, retractedAt: before(f.retractedAt) }));
  return { ...world, statements, figures };
}

// --- Numbers: an interval has low (null: no number) and high (Infinity: open) ------------------

interface Span {
  low: number | null;
  high: number;
  approximate: boolean;
  words: boolean;
  implied: string[];
  figures: number[];
}

function figureSpan(f: FigureRow, reading: Reading): Span {
  const base = { approximate: f.kind === 'APPROXIMATE', words: f.kind === 'UNQUANTIFIED', implied: [] as string[], figures: [f.id] };
  switch (f.kind) {
    case 'EXACT':
    case 'APPROXIMATE':
    case 'RANGE':
      return { ...base, low: f.low!, high: f.high! };
    case 'AT_LEAST':
      return { ...base, low: f.low!, high: Infinity };
    case 'AT_MOST':
      return { ...base, low: 0, high: f.high! };
    case 'UNQUANTIFIED': {
      const word = reading === 'IMPLIED_BOUNDS' ? vagueWordOf(f.phrase) : null;
      if (word?.impliedAtLeast == null) return { ...base, low: null, high: NaN };
      return { ...base, low: word.impliedAtLeast, high: Infinity, implied: [word.word] };
    }
  }
}

/** Spans added: words without a number add an unknown count (the high opens). */
function add(spans: Span[]): Span {
  const numbered = spans.filter((s) => s.low !== null);
  return {
    low: numbered.length ? numbered.reduce((n, s) => n + s.low!, 0) : null,
    high: numbered.length === 0 ? NaN : spans.some((s) => s.low === null) ? Infinity : spans.reduce((n, s) => n + s.high, 0),
    approximate: spans.some((s) => s.approximate),
    words: spans.some((s) => s.words),
    implied: spans.flatMap((s) => s.implied),
    figures: spans.flatMap((s) => s.figures),
  };
}

const exact = (s: { low: number | null; high: number; approximate: boolean }) => s.low !== null && s.low === s.high && !s.approximate;

// --- The record -------------------------------------------------------------------------------

export class Model {
  constructor(
    readonly world: World,
    readonly reading: Reading = 'NO_NUMBER',
  ) {}

  statement = (id: number) => this.world.statements.find((s) => s.id === id)!;
  incident = (id: number) => this.world.incidents.find((i) => i.id === id)!;

  /** Figures that stand now: not retracted (nor their statement), not revised. */
  standing(): FigureRow[] {
    const revised = new Set(this.world.figures.flatMap((f) => (f.supersedesId === null ? [] : [f.supersedesId])));
    return this.world.figures.filter((f) => f.retractedAt === null && this.statement(f.statementId).retractedAt === null && !revised.has(f.id));
  }

  /** The incident and the ones above it, nearest first. */
  ancestry(id: number): number[] {
    const chain = [id];
    for (let parent = this.incident(id).parentId; parent !== null; parent = this.incident(parent).parentId) chain.push(parent);
    return chain;
  }

  top = (id: number) => this.ancestry(id).at(-1)!;
  inside = (id: number, root: number) => this.ancestry(id).includes(root);
  tops = () => this.world.incidents.filter((i) => i.parentId === null);

  /** Figures left after dropping those inside the same claimant's (same metric, side) figure for an ancestor. */
  uncovered(figures: FigureRow[], within?: number): FigureRow[] {
    return figures.filter((f) => {
      if (f.incidentId === null) return true;
      const above = this.ancestry(f.incidentId).slice(1);
      const upTo = within === undefined ? above : above.slice(0, Math.max(0, above.indexOf(within) + 1));
      return !figures.some(
        (g) =>
          g !== f &&
          g.incidentId !== null &&
          upTo.includes(g.incidentId) &&
          g.metric === f.metric &&
          g.side === f.side &&
          this.statement(g.statementId).claimant === this.statement(f.statementId).claimant,
      );
    });
  }

  /** One claimant's figures on a tree rooted at `root` (null: a figure with no incident). */
  position(claimant: string, figures: FigureRow[], root: number | null): ModelPosition {
    const spans = figures.map((f) => figureSpan(f, this.reading));
    const sum = add(spans);
    const whole = figures.every((f) => f.incidentId === root);
    const statements = figures.map((f) => f.statementId);
    return {
      claimant,
      ...sum,
      high: sum.low !== null && !whole ? Infinity : sum.high,
      whole,
      statementId: Math.min(...statements),
      questioned: figures.some((f) => ['UNVERIFIED', 'DISPUTED', 'FALSE'].includes(this.statement(f.statementId).verification)),
      official: figures.every((f) => this.statement(f.statementId).affiliation === 'STATE'),
    };
  }

  /** Positions per metric and side on the tree of `root` (claimComparisons). */
  comparisons(root: number): Map<string, ModelPosition[]> {
    const inTree = this.uncovered(
      this.standing().filter((f) => f.incidentId !== null && this.inside(f.incidentId, root)),
      root,
    );
    const groups = new Map<string, ModelPosition[]>();
    for (const key of new Set(inTree.map((f) => `${f.metric}/${f.side}`))) {
      const figures = inTree.filter((f) => `${f.metric}/${f.side}` === key);
      const claimants = [...new Set(figures.map((f) => this.statement(f.statementId).claimant))];
      groups.set(
        key,
        claimants.map((c) =>
          this.position(
            c,
            figures.filter((f) => this.statement(f.statementId).claimant === c),
            root,
          ),
        ),
      );
    }
    return groups;
  }

  /** Totals over every figure of the world, one row per group and side. */
  totals(grouping: Grouping, combination: Combination, metric: string, scopeRoot: number | null, scopePlace: number): ModelTotal[] {
    const places = this.world.places;
    const placeOf = (f: FigureRow) => f.placeId ?? (f.incidentId === null ? null : this.incident(f.incidentId).placeId);
    const underScope = (place: number | null) => {
      for (let p = place; p !== null; p = places.find((x) => x.id === p)!.parentId) if (p === scopePlace) return true;
      return false;
    };
    const scoped = this.standing().filter(
      (f) =>
        f.metric === metric &&
        (f.placeId !== null ? underScope(f.placeId) : f.incidentId !== null && underScope(this.incident(f.incidentId).placeId)) &&
        (scopeRoot === null || (f.incidentId !== null && this.inside(f.incidentId, scopeRoot))),
    );
    const counted = this.uncovered(scoped);
    const groupOf = (f: FigureRow): string | null => {
      const dated = datedOf(this, f);
      switch (grouping) {
        case 'NONE':
          return '';
        case 'DAY':
        case 'WEEK':
        case 'MONTH':
          return dated === null ? null : periodStart(dated, grouping);
        case 'PLACE': {
          const chain: number[] = [];
          for (let p = placeOf(f); p !== null; p = places.find((x) => x.id === p)!.parentId) chain.push(p);
          const at = chain.indexOf(scopePlace);
          return places.find((x) => x.id === (at > 0 ? chain[at - 1] : scopePlace))!.name;
        }
        case 'CLAIMANT':
          return this.statement(f.statementId).claimant;
      }
    };
    const rootOf = (f: FigureRow) => (f.incidentId === null ? null : (scopeRoot ?? this.top(f.incidentId)));
    const treeOf = (f: FigureRow) => (f.incidentId === null ? `figure ${f.id}` : `incident ${rootOf(f)}`);
    const rows: ModelTotal[] = [];
    const by = <T>(items: T[], key: (item: T) => string) => {
      const map = new Map<string, T[]>();
      for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
      return map;
    };
    for (const [key, figures] of by(counted, (f) => JSON.stringify([groupOf(f), f.side]))) {
      const [group, side] = JSON.parse(key) as [string | null, string];
      const trees: Span[] = [];
      const roots = new Set<number>();
      for (const treeFigures of by(figures, treeOf).values()) {
        const root = rootOf(treeFigures[0]!);
        if (root !== null) roots.add(root);
        const positions = [...by(treeFigures, (f) => this.statement(f.statementId).claimant)].map(([claimant, own]) => this.position(claimant, own, root));
        trees.push(combine(positions, combination));
      }
      const sum = add(trees);
      rows.push({
        side,
        group: grouping === 'NONE' ? null : group,
        low: sum.low,
        high: sum.low === null || sum.high === Infinity ? null : sum.high,
        exact: exact(sum),
        approximate: sum.approximate,
        includesUnquantified: sum.words,
        implied: counts(sum.implied),
        figureCount: sum.figures.length,
        incidentCount: roots.size,
      });
    }
    return rows;
  }
}

/** How totals date a figure: its incident's start, else its statement's date. */
function datedOf(model: Model, f: FigureRow): Date | null {
  return (f.incidentId === null ? null : model.incident(f.incidentId).startedAt) ?? model.statement(f.statementId).madeAt;
}

function periodStart(date: Date, grouping: 'DAY' | 'WEEK' | 'MONTH'): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), grouping === 'MONTH' ? 1 : date.getUTCDate()));
  if (grouping === 'WEEK') day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString();
}

export const counts = (words: string[]) => Object.fromEntries([...new Set(words)].sort().map((w) => [w, words.filter((x) => x === w).length]));

export interface ModelPosition extends Span {
  claimant: string;
  whole: boolean;
  statementId: number;
  questioned: boolean;
  official: boolean;
}

export interface ModelTotal {
  side: string;
  group: string | null;
  low: number | null;
  high: number | null;
  exact: boolean;
  approximate: boolean;
  includesUnquantified: boolean;
  implied: Record<string, number>;
  figureCount: number;
  incidentCount: number;
}

// --- Claims side by side --------------------------------------------------------------------

const numbered = (positions: ModelPosition[]) => positions.filter((p) => p.low !== null);

/** The lowest claim for the whole incident (a floor only when nobody counted the whole); words last. */
export function lowestClaim(positions: ModelPosition[]): ModelPosition | undefined {
  const rank = (p: ModelPosition) => (p.low === null ? 2 : p.whole ? 0 : 1);
  return [...positions].sort((a, b) => rank(a) - rank(b) || (a.low ?? 0) - (b.low ?? 0) || sortHigh(a) - sortHigh(b) || a.statementId - b.statementId)[0];
}

/** The claim with the highest low, then the highest high, for the whole before a floor; words last. */
export function highestClaim(positions: ModelPosition[]): ModelPosition | undefined {
  const rank = (p: ModelPosition) => (p.low === null ? 1 : 0);
  return [...positions].sort(
    (a, b) =>
      rank(a) - rank(b) || (b.low ?? 0) - (a.low ?? 0) || sortHigh(b) - sortHigh(a) || Number(b.whole) - Number(a.whole) || a.statementId - b.statementId,
  )[0];
}

const sortHigh = (p: ModelPosition) => (p.low === null ? 0 : p.high);

function envelopeOf(positions: ModelPosition[]): Span {
  const withNumber = numbered(positions);
  return {
    low: withNumber.length ? Math.min(...withNumber.map((p) => p.low!)) : null,
    high: withNumber.length ? Math.max(...withNumber.map((p) => p.high)) : NaN,
    approximate: positions.some((p) => p.approximate),
    words: positions.some((p) => p.words),
    implied: positions.flatMap((p) => p.implied),
    figures: positions.flatMap((p) => p.figures),
  };
}

export function combine(positions: ModelPosition[], combination: Combination): Span {
  if (combination === 'ENVELOPE') return envelopeOf(positions);
  return envelopeOf([(combination === 'LOWEST_CLAIM' ? lowestClaim : highestClaim)(positions)!]);
}

export interface ModelSpread {
  lowest: number | null;
  highest: number | null;
  ratio: number | null;
  agreement: string;
  quantifiedClaimants: number;
}

export function spreadOf(positions: ModelPosition[]): ModelSpread {
  const withNumber = numbered(positions);
  const maxLow = Math.max(...withNumber.map((p) => p.low!));
  const minHigh = Math.min(...withNumber.map((p) => p.high));
  const { low, high } = envelopeOf(positions);
  const agreement =
    withNumber.length < 2 ? 'SINGLE_CLAIMANT' : maxLow > minHigh ? 'DISAGREE' : withNumber.every(exact) && low === high ? 'AGREE' : 'CONSISTENT';
  return {
    lowest: low,
    highest: low === null || high === Infinity ? null : high,
    ratio: withNumber.length < 2 || minHigh === Infinity || minHigh === 0 ? null : maxLow / minHigh,
    agreement,
    quantifiedClaimants: withNumber.length,
  };
}

export interface ModelEstimate {
  low: number | null;
  high: number | null;
  approximate: boolean;
  exact: boolean;
  implied: Record<string, number>;
  used: string[];
  excluded: [string, string][];
}

export function estimateOf(positions: ModelPosition[], method: Method): ModelEstimate {
  const excluded: [string, string][] = [];
  let used: ModelPosition[] = [];
  for (const p of positions) {
    if (p.low === null) excluded.push([p.claimant, 'UNQUANTIFIED']);
    else if ((method === 'CONSERVATIVE' || method === 'EXCLUDE_UNVERIFIED') && p.questioned) excluded.push([p.claimant, 'QUESTIONED']);
    else if (method === 'OFFICIAL_ONLY' && !p.official) excluded.push([p.claimant, 'NOT_OFFICIAL']);
    else used.push(p);
  }
  if (method === 'CONSERVATIVE' && used.length) {
    const lowest = lowestClaim(used)!;
    for (const p of used) if (p !== lowest) excluded.push([p.claimant, !p.whole && lowest.whole ? 'PARTS_ONLY' : 'NOT_LOWEST']);
    used = [lowest];
  }
  const span = envelopeOf(used);
  return {
    low: span.low,
    high: span.low === null || span.high === Infinity ? null : span.high,
    approximate: span.approximate,
    exact: exact(span),
    implied: counts(span.implied),
    used: used.map((p) => p.claimant).sort(),
    excluded: excluded.sort(),
  };
}

/** A claimant against the others: clear above, clear below, the same exact number, or none of these. */
export function relationOf(own: ModelPosition, others: ModelPosition[]): { relation: string; ratio: number | null } {
  const rest = numbered(others);
  if (own.low === null || rest.length === 0) return { relation: 'NO_COMPARISON', ratio: null };
  const restHigh = Math.max(...rest.map((p) => p.high));
  const restLow = Math.min(...rest.map((p) => p.low!));
  if (own.low > restHigh) return { relation: 'HIGHER', ratio: restHigh === 0 ? null : own.low / restHigh };
  if (own.high < restLow) return { relation: 'LOWER', ratio: own.high / restLow };
  if (exact(own) && rest.every((p) => exact(p) && p.low === own.low)) return { relation: 'EQUAL', ratio: 1 };
  return { relation: 'OVERLAPPING', ratio: null };
}
