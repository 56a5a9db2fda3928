// The claims chart of an incident, a metric and a side: each claimant's position (from the
// comparison in src/claims/comparison.ts) on its own row, drawn as what was said, with the
// numbers its figures replaced faint beside it and the spread between the claims annotated.
import { compareClaims, type Position, type Spread } from '../claims/comparison.js';
import { figureWhere } from '../claims/filters.js';
import { revisionChains } from '../claims/revisions.js';
import { claimantName } from '../claims/claimants.js';
import type { TopLevelSpec } from 'vega-lite';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { FigureMetric, Side } from '../generated/prisma/enums.js';
import { intervalChartSpec, SHAPE_OF_QUANTITY, type EarlierValue, type IntervalRow, type Shape } from './interval-rows.js';
import { capitalised, countedWords, dateWords, doubtWords, formatRatio, speaksFor } from './words.js';

export interface ClaimsChartQuery {
  incidentId: number;
  metric: FigureMetric;
  side: Side;
  asOf?: Date | null;
  width?: number;
}

const statementWithClaimant = {
  include: { official: true, organisation: true, verifiedBy: { select: { name: true } } },
} as const;

/** How a position is drawn: a claimant's figures added up keep the least precise form among them. */
function shapeOf(position: Position, kinds: string[]): Shape {
  if (position.unquantified) return 'words';
  if (position.high === null) return 'atLeast';
  if (kinds.every((kind) => kind === 'AT_MOST')) return 'atMost';
  if (position.low === position.high) return position.approximate ? 'approximate' : 'exact';
  return 'range';
}

/** "Baloch Liberation Army: 84; security officials: some 10; ratio 8.4" — the chart in a sentence. */
function sentence(spread: Spread | undefined, rows: { claimant: string; said: string; note: string | null }[]): string {
  if (!spread || rows.length === 0) return 'No claims recorded.';
  const claims = rows.map((row) => `${row.claimant}: ${row.said}${row.note ? ` (${row.note})` : ''}`).join('; ');
  if (spread.agreement === 'DISAGREE' && spread.ratio !== null) return `${claims}; ratio ${formatRatio(spread.ratio)}: the claims disagree.`;
  if (spread.agreement === 'SINGLE_CLAIMANT') return `${claims}; no other claimant gave a number.`;
  return `${claims}; the claims ${spread.agreement === 'AGREE' ? 'agree' : 'overlap: one number could fit them all'}.`;
}

/** A chart ready to render: its spec, and the title and sentence a screen reader says for it. */
export interface Chart {
  title: string;
  description: string;
  spec: TopLevelSpec;
}

/** The chart for an incident (with its parts), or null when there is no such incident. */
export async function claimsChart(prisma: PrismaClient, query: ClaimsChartQuery): Promise<Chart | null> {
  const incident = await prisma.incident.findUnique({ where: { id: query.incidentId }, select: { title: true, startedAt: true, datePrecision: true } });
  if (!incident) return null;
  const [spread] = await compareClaims(prisma, { incidentIds: [query.incidentId], metric: query.metric, side: query.side, asOf: query.asOf });
  const positions = spread?.positions ?? [];
  const figureIds = positions.flatMap((position) => position.figureIds);
  const earlierIds = (await revisionChains(prisma, figureIds, 'earlier')).map((chain) => chain.map((figure) => figure.id));
  const earlierOf = new Map(figureIds.map((id, index) => [id, earlierIds[index]!]));
  // What a figure replaced counts only as the record stood then: claimed by `asOf`, not retracted.
  const figures = await prisma.figure.findMany({
    where: {
      AND: [
        { id: { in: [...figureIds, ...earlierIds.flat()] } },
        await figureWhere(prisma, { asOf: query.asOf ? { at: query.asOf, precision: 'EXACT' } : null }),
      ],
    },
    include: { incident: { select: { title: true } }, statement: statementWithClaimant },
  });
  const byId = new Map(figures.map((figure) => [figure.id, figure]));

  const earlier: EarlierValue[] = [];
  const described: { claimant: string; said: string; note: string | null }[] = [];
  const rows = positions.map((position, row): IntervalRow => {
    const own = position.figureIds.map((id) => byId.get(id)!);
    const statement = own[0]!.statement;
    const claimant = claimantName(statement);
    const said = own.map((figure) => figure.phrase).join(' + ');
    // What a reader must know to read the number (also said in the description), then what it revised.
    const context: string[] = [];
    const revised: string[] = [];
    if (!position.coversWholeIncident) {
      const parts = [...new Set(own.map((figure) => figure.incident?.title ?? 'a part'))];
      context.push(`at least ${position.low} in all: counted only ${parts.join('; ')}`);
    }
    const doubts = [...new Set(own.map((figure) => doubtWords(figure.statement.verification, figure.statement.verifiedBy?.name)).filter(Boolean))];
    if (doubts.length) context.push(`reported: ${doubts.join('; ')}`);
    for (const figure of own) {
      for (const id of earlierOf.get(figure.id) ?? []) {
        const replaced = byId.get(id);
        if (!replaced) continue; // not yet claimed at asOf, or retracted
        revised.push(`revises "${replaced.phrase}" (${claimantName(replaced.statement)})`);
        const value = replaced.low ?? replaced.high;
        if (value !== null && SHAPE_OF_QUANTITY[replaced.quantityKind] !== 'words') earlier.push({ row, value });
      }
    }
    described.push({ claimant, said, note: context.length ? context.join('; ') : null });
    return {
      label: `${claimant}: ${said}`,
      note: [...context, ...revised].join(' · ') || null,
      shape: shapeOf(
        position,
        own.map((figure) => figure.quantityKind),
      ),
      low: position.low,
      high: position.high,
      speaksFor: speaksFor(position.affiliations),
      questioned: position.questioned,
      faded: false,
    };
  });

  // The ratio compares the highest low bound with the lowest high bound (comparison.ts).
  const quantified = positions.filter((position) => !position.unquantified);
  const highestLow = quantified.reduce<Position | null>((best, p) => (best === null || (p.low ?? 0) > (best.low ?? 0) ? p : best), null);
  const lowestHigh = quantified.filter((p) => p.high !== null).reduce<Position | null>((best, p) => (best === null || p.high! < best.high! ? p : best), null);
  const apart = spread?.agreement === 'DISAGREE' && spread.ratio !== null && highestLow && lowestHigh;

  const what = countedWords(query.metric, query.side);
  const when = incident.startedAt ? ` (${dateWords(incident.startedAt, incident.datePrecision)})` : '';
  const title = `${incident.title}${when}`;
  const asOf = query.asOf ? `, as the record stood on ${dateWords(query.asOf, 'EXACT')}` : '';
  const verdict = apart
    ? `The claims are ${formatRatio(spread.ratio!)}× apart: ${highestLow.low} against ${lowestHigh.high}.`
    : spread?.agreement === 'CONSISTENT'
      ? 'The claims overlap: one number could fit them all.'
      : spread?.agreement === 'AGREE'
        ? 'The claims agree.'
        : '';
  const description = `${title}, ${what}${asOf}: ${sentence(spread, described)}`;
  const spec = intervalChartSpec({
    title,
    subtitle: [`${capitalised(what)}: each claimant's number as said${asOf}.`, ...(verdict ? [verdict] : [])],
    description,
    axisTitle: `Number of ${what}`,
    width: query.width ?? 640,
    rows,
    earlier,
    spread: apart ? { from: lowestHigh.high!, to: highestLow.low!, label: `${formatRatio(spread.ratio!)}× apart` } : null,
    emptyText: `No claims of ${what} recorded for this incident${asOf}.`,
  });
  return { title: `${capitalised(what)}: ${title}`, description, spec };
}
