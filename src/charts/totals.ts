// Totals over time (`figureTotals` per day, week or month) as a band from the low total to the
// high total of each period. An open high ("at least 67", "dozens" somewhere in the sum) is
// drawn as a band that runs past the last tick with an arrow, labelled "no upper bound": never
// as a number. A period with no claim has no band: no claim is not zero.
import type { TopLevelSpec } from 'vega-lite';
import { figureTotals, type FigureTotalsInput } from '../claims/totals.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { FigureMetric, Side } from '../generated/prisma/enums.js';
import type { Chart } from './claims.js';
import { countTicks, wrapToWidth } from './interval-rows.js';
import { capitalised, countedWords, dateWords, metricWords } from './words.js';

export const TOTALS_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;
export type TotalsPeriod = (typeof TOTALS_PERIODS)[number];

export interface TotalsChartQuery extends Omit<FigureTotalsInput, 'groupBy'> {
  groupBy: TotalsPeriod;
  width?: number;
}

const COMBINATION_WORDS = {
  ENVELOPE: "claimants' counts of one incident combined as the lowest low to the highest high",
  LOWEST_CLAIM: 'for each incident, the lowest claim',
  HIGHEST_CLAIM: 'for each incident, the highest claim',
} as const;

const PERIOD_WORDS: Record<TotalsPeriod, string> = { DAY: 'day', WEEK: 'week', MONTH: 'month' };

function periodEnd(start: Date, period: TotalsPeriod): Date {
  const end = new Date(start);
  if (period === 'DAY') end.setUTCDate(end.getUTCDate() + 1);
  if (period === 'WEEK') end.setUTCDate(end.getUTCDate() + 7);
  if (period === 'MONTH') end.setUTCMonth(end.getUTCMonth() + 1);
  return end;
}

function countedWordsForSides(metric: FigureMetric, sides: readonly Side[] | null | undefined): string {
  if (sides?.length === 1) return countedWords(metric, sides[0]!);
  return `people ${metricWords(metric)} (${sides?.length ? sides.map((side) => countedWords(metric, side).replace(` ${metricWords(metric)}`, '')).join(', ') : 'all sides'})`;
}

const INK = '#1a1a1a';
const MUTED = '#4d4d4d';
const BAND = '#0072B2';

export async function totalsChart(prisma: PrismaClient, query: TotalsChartQuery): Promise<Chart> {
  const totals = await figureTotals(prisma, query);
  const dated = totals.filter((total) => total.periodStart !== null);
  const undated = totals.length - dated.length;
  const periodWords = (start: Date) =>
    query.groupBy === 'MONTH' ? dateWords(start, 'MONTH') : query.groupBy === 'WEEK' ? `week of ${dateWords(start)}` : dateWords(start);
  const amount = (total: (typeof totals)[number]) =>
    total.high === null
      ? `at least ${total.low}, no upper bound`
      : total.high === total.low
        ? `${total.approximate ? 'about ' : ''}${total.low}`
        : `${total.low} to ${total.high}`;

  const finite = dated.flatMap((total) => [total.low, total.high]).filter((value): value is number => value !== null);
  const anyOpen = dated.some((total) => total.high === null);
  const { ticks, end: yMax } = countTicks(Math.max(0, ...finite), anyOpen);
  const values = dated.map((total) => {
    const start = total.periodStart!;
    const end = periodEnd(start, query.groupBy);
    return {
      period: periodWords(start),
      start: start.toISOString(),
      end: end.toISOString(),
      middle: new Date((start.getTime() + end.getTime()) / 2).toISOString(),
      low: total.low,
      high: total.high,
      top: total.high ?? yMax,
      open: total.high === null,
      label: total.high === null ? `≥ ${total.low}, no upper bound` : total.high === total.low ? String(total.low) : `${total.low}–${total.high}`,
      words: total.includesUnquantified,
      figures: total.figureCount,
    };
  });

  const what = countedWordsForSides(query.metric, query.sides);
  const per = PERIOD_WORDS[query.groupBy];
  const title = `${capitalised(what)} per ${per}`;
  const combination = COMBINATION_WORDS[query.claimantCombination ?? 'ENVELOPE'];
  const asOf = query.asOf ? ` As the record stood on ${dateWords(query.asOf, 'EXACT')}.` : '';
  const description =
    `${title}, ${combination}: ` +
    (dated.length
      ? dated
          .map((total) => `${periodWords(total.periodStart!)}: ${amount(total)}${total.includesUnquantified ? ' (includes words without a number)' : ''}`)
          .join('; ')
      : 'no claims') +
    (undated ? `; ${undated} undated total${undated === 1 ? '' : 's'} not shown` : '') +
    `.${asOf}`;

  const width = (query.width ?? 640) - 24 - 40;
  // One label per period, under its middle.
  const x = {
    field: 'start',
    type: 'temporal',
    scale: { type: 'utc' },
    axis: {
      title: null,
      format: query.groupBy === 'MONTH' ? '%b %Y' : '%-d %b %Y',
      labelAngle: 0,
      grid: false,
      values: values.map((value) => Date.parse(value.middle)),
    },
  } as const;
  const y = (field: string) =>
    ({
      field,
      type: 'quantitative',
      scale: { domain: [0, yMax], nice: false },
      axis: { title: `Number of ${what}`, values: ticks, format: 'd', grid: true },
    }) as const;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description,
    title: {
      text: wrapToWidth(title, width, { fontSize: 16, fontWeight: 'bold' }),
      subtitle: wrapToWidth(`${capitalised(combination)}.${anyOpen ? ' A band with an arrow has no upper bound.' : ''}${asOf}`, width, { fontSize: 12 }),
      anchor: 'start',
      fontSize: 16,
      subtitleFontSize: 12,
      subtitleColor: MUTED,
      offset: 14,
    },
    width,
    height: 260,
    padding: 12,
    background: 'white',
    data: { values },
    layer: [
      {
        mark: { type: 'rect', color: BAND },
        encoding: { x, x2: { field: 'end' }, y: y('low'), y2: { field: 'top' }, opacity: { condition: { test: 'datum.open', value: 0.14 }, value: 0.32 } },
      },
      // the low edge always; the high edge only where there is one
      { mark: { type: 'rule', strokeWidth: 3, color: BAND }, encoding: { x, x2: { field: 'end' }, y: y('low') } },
      { transform: [{ filter: '!datum.open' }], mark: { type: 'rule', strokeWidth: 3, color: BAND }, encoding: { x, x2: { field: 'end' }, y: y('high') } },
      {
        transform: [{ filter: 'datum.open' }],
        mark: { type: 'point', shape: 'triangle-up', filled: true, size: 170, color: BAND },
        encoding: { x: { ...x, field: 'middle' }, y: y('top') },
      },
      {
        mark: { type: 'text', baseline: 'bottom', dy: -6, fontSize: 12, fontWeight: 'bold', color: INK },
        encoding: { x: { ...x, field: 'middle' }, y: y('top'), text: { field: 'label' } },
      },
      {
        transform: [{ filter: 'datum.words' }],
        mark: { type: 'text', baseline: 'top', dy: 6, fontSize: 11, color: MUTED },
        encoding: { x: { ...x, field: 'middle' }, y: y('low'), text: { value: 'includes words without a number' } },
      },
      ...(values.length
        ? []
        : [
            {
              data: { values: [{ text: `No claims of ${what} recorded.` }] },
              mark: { type: 'text', align: 'left', fontSize: 13, color: MUTED },
              encoding: { x: { value: 0 }, y: { value: 20 }, text: { field: 'text' } },
            },
          ]),
    ],
    config: {
      font: 'Helvetica, Arial, sans-serif',
      aria: false,
      view: { stroke: null },
      axis: {
        labelFontSize: 11,
        titleFontSize: 12,
        titleFontWeight: 'normal',
        titleColor: MUTED,
        gridColor: '#e6e6e6',
        domainColor: '#999',
        tickColor: '#999',
      },
    },
  } as unknown as TopLevelSpec;
  return { title, description, spec };
}
