// One chart form for competing numbers: a row per claim, each drawn as what was said — a dot
// for an exact number, a dot with a halo for an approximate one ("some 10"), a bar for a range,
// a bar with an arrow to the open end for a bound ("at least 67"), words and no mark for words
// without a number ("dozens"). The claims chart (one row per claimant) and the revision
// timeline (one row per version) are both this form.
import type { TopLevelSpec } from 'vega-lite';
import type { QuantityKind } from '../generated/prisma/enums.js';
import { textWidth } from './text-width.js';
import { SPEAKS_FOR, type SpeaksFor } from './words.js';

export type Shape = 'exact' | 'approximate' | 'range' | 'atLeast' | 'atMost' | 'words';

export const SHAPE_OF_QUANTITY: Record<QuantityKind, Shape> = {
  EXACT: 'exact',
  APPROXIMATE: 'approximate',
  RANGE: 'range',
  AT_LEAST: 'atLeast',
  AT_MOST: 'atMost',
  UNQUANTIFIED: 'words',
};

export interface IntervalRow {
  /** The line above the mark: who, and what they said ("Baloch Liberation Army: 84"). */
  label: string;
  /** A smaller line below the mark: only a part counted, doubts, what it revised. */
  note: string | null;
  shape: Shape;
  /** As the words give them: an open end is null. */
  low: number | null;
  high: number | null;
  speaksFor: SpeaksFor;
  /** Reported as unverified, disputed or false: drawn hollow and dashed. */
  questioned: boolean;
  /** A superseded or retracted version: drawn faint. */
  faded: boolean;
}

/** A faint mark on a row for a number the row's claim replaced (the Gwadar toll's "five"). */
export interface EarlierValue {
  row: number;
  value: number;
}

export interface IntervalChart {
  title: string;
  subtitle: string[];
  description: string;
  axisTitle: string;
  /** Width of the whole SVG in pixels. */
  width: number;
  rows: IntervalRow[];
  earlier: EarlierValue[];
  /** How far apart the claims are: a bracket from `from` to `to` above the rows, labelled. */
  spread: { from: number; to: number; label: string } | null;
  /** Shown instead of rows when there are none. */
  emptyText: string;
}

const ROW_HEIGHT = 62;
const PADDING = 12;
const FONT = 'Helvetica, Arial, sans-serif';
const INK = '#1a1a1a';
const MUTED = '#4d4d4d'; // 8:1 against white: notes stay readable
const FADED = '#767676';
const LEGEND = { title: 'Claimant speaks for', orient: 'bottom', direction: 'horizontal', symbolType: 'circle' } as const;

/**
 * Axis ticks for counts up to `largest`: about five whole-number steps (1, 2 or 5 × a power of
 * ten), the last just past `largest`; `end` runs 1.5 steps further when a bar must run on
 * beyond every number said (an open end), so its arrow never points at a tick.
 */
export function countTicks(largest: number, open: boolean): { ticks: number[]; end: number } {
  const rough = Math.max(1, largest / 5);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough)!;
  const last = Math.ceil((Math.max(1, largest) * 1.1) / step) * step;
  return { ticks: Array.from({ length: last / step + 1 }, (_, i) => i * step), end: open ? last + 1.5 * step : last };
}

/** Splits text into lines no wider than `width` pixels, at spaces. */
export function wrapToWidth(text: string, width: number, font: { fontSize: number; fontWeight?: string }): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && textWidth(font, `${line} ${word}`) > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function valueLabel(row: IntervalRow): string {
  switch (row.shape) {
    case 'exact':
    case 'approximate':
      return `${row.shape === 'approximate' ? '~' : ''}${row.low}`;
    case 'range':
      return `${row.low}–${row.high}`;
    case 'atMost':
      return `≤ ${row.high}`;
    case 'atLeast':
      return `≥ ${row.low}, no upper bound`;
    case 'words':
      return 'no number given';
  }
}

export function intervalChartSpec(chart: IntervalChart): TopLevelSpec {
  const offset = chart.spread ? 1 : 0;
  const finite = [...chart.rows.flatMap((row) => [row.low, row.high]), ...chart.earlier.map((mark) => mark.value), chart.spread?.to ?? null].filter(
    (value): value is number => value !== null,
  );
  const anyOpen = chart.rows.some((row) => row.shape === 'atLeast');
  const { ticks, end: xMax } = countTicks(Math.max(0, ...finite), anyOpen);
  const groups = (Object.keys(SPEAKS_FOR) as SpeaksFor[]).filter((group) => chart.rows.some((row) => row.speaksFor === group));
  const claims = chart.rows.map((row, index) => ({
    row: index + offset,
    label: row.label,
    note: row.note,
    shape: row.shape,
    speaksFor: SPEAKS_FOR[row.speaksFor].label,
    start: row.shape === 'atMost' ? 0 : row.low,
    end: row.shape === 'atLeast' ? xMax : (row.high ?? row.low),
    valueLabel: valueLabel(row),
    questioned: row.questioned,
    faded: row.faded,
  }));
  const current = new Map(claims.map((claim) => [claim.row, claim.start]));
  const earlier = chart.earlier.map((mark) => ({ row: mark.row + offset, value: mark.value, to: current.get(mark.row + offset) ?? mark.value }));
  const spread = chart.spread
    ? [{ row: 0, from: chart.spread.from, to: chart.spread.to, middle: (chart.spread.from + chart.spread.to) / 2, label: chart.spread.label }]
    : [];
  const rowIds = [...(chart.spread ? [0] : []), ...claims.map((claim) => claim.row)];
  // Padding on both sides, and room on the right for the label of a number near the top of the scale.
  const plotWidth = chart.width - 2 * PADDING - 36;

  const y = { field: 'row', type: 'ordinal', axis: null, scale: { domain: rowIds.length ? rowIds : [0] } } as const;
  // Every layer states the same scale and axis: Vega-Lite merges them into one.
  const axis = { title: chart.axisTitle, grid: true, values: ticks, format: 'd', orient: 'bottom' } as const;
  const x = (field: string) => ({ field, type: 'quantitative', scale: { domain: [0, xMax], nice: false }, axis }) as const;
  const colour = {
    field: 'speaksFor',
    type: 'nominal',
    scale: { domain: groups.map((group) => SPEAKS_FOR[group].label), range: groups.map((group) => SPEAKS_FOR[group].colour) },
    // Stated alike on every layer, so Vega-Lite merges them into one legend.
    legend: groups.length ? LEGEND : null,
  } as const;
  const faded = { condition: { test: 'datum.faded', value: 0.35 }, value: 1 } as const;
  const shapes = (...names: Shape[]) => ({ filter: `indexof(${JSON.stringify(names)}, datum.shape) >= 0` });

  const layers: object[] = [
    // who said what, above each mark
    {
      data: { name: 'claims' },
      mark: { type: 'text', align: 'left', baseline: 'alphabetic', dy: -15, fontSize: 13, fontWeight: 'bold', limit: plotWidth },
      // text is never faded: a superseded claim must stay readable
      encoding: { y, x: { value: 0 }, text: { field: 'label' }, color: { condition: { test: 'datum.faded', value: MUTED }, value: INK } },
    },
    {
      data: { name: 'claims' },
      transform: [{ filter: 'datum.note' }],
      mark: { type: 'text', align: 'left', baseline: 'top', dy: 12, fontSize: 11, color: MUTED, limit: plotWidth },
      encoding: { y, x: { value: 0 }, text: { field: 'note' } },
    },
    // ranges and bounds as bars; an arrow at an open end
    {
      data: { name: 'claims' },
      transform: [shapes('range', 'atLeast', 'atMost')],
      mark: { type: 'rule', strokeWidth: 7, strokeCap: 'butt' },
      encoding: {
        y,
        x: x('start'),
        x2: { field: 'end' },
        color: colour,
        strokeDash: { condition: { test: 'datum.questioned', value: [6, 3] }, value: [1, 0] },
        opacity: faded,
      },
    },
    {
      data: { name: 'claims' },
      transform: [shapes('atLeast')],
      mark: { type: 'point', shape: 'triangle-right', filled: true, size: 170 },
      encoding: { y, x: x('end'), color: colour, opacity: faded },
    },
    // a halo for an approximate number, then the dot
    {
      data: { name: 'claims' },
      transform: [shapes('approximate')],
      mark: { type: 'point', filled: true, size: 480, opacity: 0.22 },
      encoding: { y, x: x('start'), color: colour },
    },
    {
      data: { name: 'claims' },
      transform: [shapes('exact', 'approximate')],
      mark: { type: 'point', filled: true, size: 130, strokeWidth: 2.5 },
      encoding: {
        y,
        x: x('start'),
        stroke: colour,
        fill: { condition: { test: 'datum.questioned', value: 'white' }, ...colour },
        opacity: faded,
      },
    },
    {
      data: { name: 'claims' },
      transform: [shapes('exact', 'approximate', 'range', 'atMost')],
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 15, fontSize: 12, color: INK },
      encoding: { y, x: x('end'), text: { field: 'valueLabel' } },
    },
    {
      data: { name: 'claims' },
      transform: [shapes('words')],
      mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 12, fontStyle: 'italic', color: MUTED },
      encoding: { y, x: { value: 0 }, text: { field: 'valueLabel' } },
    },
    // what a claim replaced, faint, with a dashed line to the number that replaced it
    {
      data: { name: 'earlier' },
      mark: { type: 'rule', strokeDash: [3, 3], color: FADED },
      encoding: { y, x: x('value'), x2: { field: 'to' } },
    },
    {
      data: { name: 'earlier' },
      mark: { type: 'point', filled: true, size: 110, color: FADED, opacity: 0.45 },
      encoding: { y, x: x('value') },
    },
    // how far apart the claims are
    {
      data: { name: 'spread' },
      mark: { type: 'rule', strokeWidth: 1.5, color: INK },
      encoding: { y, x: x('from'), x2: { field: 'to' } },
    },
    ...['from', 'to'].map((end) => ({
      data: { name: 'spread' },
      mark: { type: 'tick', orient: 'vertical', size: 12, thickness: 1.5, color: INK },
      encoding: { y, x: x(end) },
    })),
    {
      data: { name: 'spread' },
      mark: { type: 'text', baseline: 'alphabetic', dy: -10, fontSize: 13, fontWeight: 'bold', color: INK },
      encoding: { y, x: x('middle'), text: { field: 'label' } },
    },
  ];
  if (claims.length === 0) {
    layers.push({
      data: { values: [{ row: 0, text: chart.emptyText }] },
      mark: { type: 'text', align: 'left', fontSize: 13, color: MUTED },
      encoding: { y: { field: 'row', type: 'ordinal', axis: null }, x: { value: 0 }, text: { field: 'text' } },
    });
  }

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: chart.description,
    title: {
      text: wrapToWidth(chart.title, plotWidth, { fontSize: 16, fontWeight: 'bold' }),
      subtitle: chart.subtitle,
      anchor: 'start',
      fontSize: 16,
      subtitleFontSize: 12,
      subtitleColor: MUTED,
      offset: 14,
    },
    width: plotWidth,
    height: { step: ROW_HEIGHT },
    padding: PADDING,
    background: 'white',
    datasets: { claims, earlier, spread },
    layer: layers,
    config: {
      font: FONT,
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
      legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal' },
    },
  } as unknown as TopLevelSpec;
}
