// The revision timeline of a figure: every version, oldest first, each on its own row drawn as
// it was said, with who said it and when; only the version that stands is drawn solid (the
// Gwadar toll: "five", then "11 people").
import { figureWhere } from '../claims/filters.js';
import { revisionChains } from '../claims/revisions.js';
import { claimantName } from '../claims/claimants.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { intervalChartSpec, SHAPE_OF_QUANTITY, type IntervalRow } from './interval-rows.js';
import { capitalised, countedWords, dateWords, doubtWords, metricWords, speaksFor } from './words.js';
import type { Chart } from './claims.js';

export async function revisionChart(prisma: PrismaClient, query: { figureId: number; width?: number }): Promise<Chart | null> {
  const [[earlier], [later]] = await Promise.all([revisionChains(prisma, [query.figureId], 'earlier'), revisionChains(prisma, [query.figureId], 'later')]);
  if (!earlier || !later) return null;
  const ids = [...earlier.map((figure) => figure.id).reverse(), query.figureId, ...later.map((figure) => figure.id)];
  const [versions, standing] = await Promise.all([
    prisma.figure.findMany({
      where: { id: { in: ids } },
      include: {
        incident: { select: { title: true } },
        statement: { include: { official: true, organisation: true, verifiedBy: { select: { name: true } } } },
      },
    }),
    // Which version stands now, by the one rule for "current" (never a retracted one).
    prisma.figure.findMany({ where: { AND: [{ id: { in: ids } }, await figureWhere(prisma, { current: true })] }, select: { id: true } }),
  ]);
  const byId = new Map(versions.map((figure) => [figure.id, figure]));
  const figure = byId.get(query.figureId);
  if (!figure) return null;
  const current = new Set(standing.map((row) => row.id));

  const said: string[] = [];
  const rows = ids.map((id): IntervalRow => {
    const version = byId.get(id)!;
    const statement = version.statement;
    const claimant = claimantName(statement);
    const when = statement.madeAt ? dateWords(statement.madeAt, statement.madeAtPrecision) : 'undated';
    const retracted = version.retractedAt ?? statement.retractedAt;
    const reason = version.retractionReason ?? statement.retractionReason;
    const state = current.has(id) ? 'current' : retracted ? `retracted${reason ? `: ${reason}` : ''}` : 'superseded by the next version';
    const doubt = doubtWords(statement.verification, statement.verifiedBy?.name);
    said.push(`${version.phrase} (${claimant}, ${when}; ${state})`);
    return {
      label: `${when} · ${claimant}: ${version.phrase}`,
      note: [state, ...(doubt ? [`reported: ${doubt}`] : [])].join(' · '),
      shape: SHAPE_OF_QUANTITY[version.quantityKind],
      low: version.low,
      high: version.high,
      speaksFor: speaksFor([statement.claimantAffiliation]),
      questioned: doubt !== null,
      faded: !current.has(id),
    };
  });

  const what = countedWords(figure.metric, figure.side);
  const title = `${figure.incident?.title ?? 'No incident given'}: ${figure.victimDescription} ${metricWords(figure.metric)}`;
  const description = `How the count of ${what} changed, oldest first: ${said.join('; then ')}.`;
  return {
    title: capitalised(title),
    description,
    spec: intervalChartSpec({
      title: capitalised(title),
      subtitle: [`${capitalised(what)}: every version of this figure, oldest first. Only the version that stands is drawn solid.`],
      description,
      axisTitle: `Number of ${what}`,
      width: query.width ?? 640,
      rows,
      earlier: [],
      spread: null,
      emptyText: '',
    }),
  };
}
