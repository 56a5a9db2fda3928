// `npm run bench:charts`: how the claims chart is drawn — measured, not assumed. The seed
// article's chart (state forces killed: the BLA's 84 against officials' "some 10") is rendered
// side by side in one run by the gateway's Vega-Lite spec (compiled by vega-lite, rendered to
// SVG by vega, as src/charts/ does) and by the same chart written directly with d3-scale and
// d3-shape, from the same data. It prints time per chart, output size and how much code each
// needs, and saves both as PNG (Debian's Chromium) for looking at: docs/charts/.
import { mkdirSync, readFileSync } from 'node:fs';
import { scaleLinear } from 'd3-scale';
import { symbol, symbolCircle, symbolTriangle } from 'd3-shape';
import { claimsChart } from '../src/charts/claims.js';
import { renderSvg, escapeXml } from '../src/charts/render.js';
import { SPEAKS_FOR } from '../src/charts/words.js';
import { openDatabase } from '../src/db/database.js';
import { applyMigrations } from '../src/db/schema-engine.js';
import { seedDatabase } from '../src/seed/seed.js';
import { launchBrowser } from '../test/support/browser.js';

const RUNS = 100;

interface Row {
  row: number;
  label: string;
  note: string | null;
  shape: string;
  speaksFor: string;
  start: number | null;
  end: number | null;
  valueLabel: string;
  questioned: boolean;
}
interface Data {
  claims: Row[];
  earlier: { row: number; value: number; to: number }[];
  spread: { from: number; to: number; middle: number; label: string }[];
}

/** The same chart with d3: scales and symbol paths from d3, every element and its place by hand. */
function d3Chart(title: string, subtitle: string[], data: Data, width = 640): string {
  const rowHeight = 62;
  const top = 44 + subtitle.length * 16;
  const rows = data.claims.length + (data.spread.length ? 1 : 0);
  const plotWidth = width - 60;
  const largest = Math.max(...data.claims.flatMap((row) => [row.start ?? 0, row.end ?? 0]));
  const x = scaleLinear()
    .domain([0, Math.ceil((largest * 1.1) / 20) * 20])
    .range([0, plotWidth]);
  const y = (row: number) => top + row * rowHeight + rowHeight / 2;
  const colour = (group: string) => Object.values(SPEAKS_FOR).find((entry) => entry.label === group)?.colour ?? '#767676';
  const out: string[] = [];
  const text = (tx: number, ty: number, content: string, attrs = '') => out.push(`<text x="${tx}" y="${ty}" ${attrs}>${escapeXml(content)}</text>`);
  for (const tick of x.ticks(6)) {
    out.push(`<line x1="${x(tick)}" x2="${x(tick)}" y1="${top}" y2="${top + rows * rowHeight}" stroke="#e6e6e6"/>`);
    text(x(tick), top + rows * rowHeight + 16, String(tick), 'font-size="11" text-anchor="middle"');
  }
  for (const spread of data.spread) {
    out.push(`<line x1="${x(spread.from)}" x2="${x(spread.to)}" y1="${y(0)}" y2="${y(0)}" stroke="#1a1a1a" stroke-width="1.5"/>`);
    text(x(spread.middle), y(0) - 10, spread.label, 'font-size="13" font-weight="bold" text-anchor="middle"');
  }
  for (const row of data.claims) {
    const fill = colour(row.speaksFor);
    text(0, y(row.row) - 12, row.label, 'font-size="13" font-weight="bold"');
    if (row.note) text(0, y(row.row) + 22, row.note, 'font-size="11" fill="#4d4d4d"');
    if (row.shape === 'words') text(0, y(row.row) + 4, row.valueLabel, 'font-size="12" font-style="italic"');
    if (['range', 'atLeast', 'atMost'].includes(row.shape)) {
      out.push(`<line x1="${x(row.start!)}" x2="${x(row.end!)}" y1="${y(row.row)}" y2="${y(row.row)}" stroke="${fill}" stroke-width="7"/>`);
    }
    if (row.shape === 'atLeast')
      out.push(`<path transform="translate(${x(row.end!)},${y(row.row)}) rotate(90)" d="${symbol(symbolTriangle, 170)()}" fill="${fill}"/>`);
    if (row.shape === 'approximate')
      out.push(`<path transform="translate(${x(row.start!)},${y(row.row)})" d="${symbol(symbolCircle, 600)()}" fill="${fill}" opacity="0.22"/>`);
    if (row.shape === 'exact' || row.shape === 'approximate') {
      out.push(
        `<path transform="translate(${x(row.start!)},${y(row.row)})" d="${symbol(symbolCircle, 130)()}" fill="${row.questioned ? 'white' : fill}" stroke="${fill}" stroke-width="2.5"/>`,
      );
      text(x(row.end!) + 12, y(row.row) + 4, row.valueLabel, 'font-size="12"');
    }
  }
  const height = top + rows * rowHeight + 40;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="Helvetica, Arial, sans-serif"><rect width="${width}" height="${height}" fill="white"/>` +
    `<text x="12" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>${subtitle.map((line, i) => `<text x="12" y="${42 + i * 16}" font-size="12" fill="#4d4d4d">${escapeXml(line)}</text>`).join('')}` +
    `<g transform="translate(12,0)">${out.join('')}</g></svg>`
  );
}

async function time(render: () => Promise<string> | string): Promise<{ ms: number; svg: string }> {
  let svg = await render(); // warm up
  const started = performance.now();
  for (let i = 0; i < RUNS; i++) svg = await render();
  return { ms: (performance.now() - started) / RUNS, svg };
}

const db = await openDatabase({ kind: 'memory' });
await applyMigrations(db.adapterFactory);
await seedDatabase(db.prisma);
const incident = await db.prisma.incident.findFirstOrThrow({ where: { kind: 'COORDINATED_ATTACK' } });
const chart = (await claimsChart(db.prisma, { incidentId: incident.id, metric: 'KILLED', side: 'STATE_FORCES' }))!;
const spec = chart.spec as unknown as { datasets: Data; title: { text: string[]; subtitle: string[] } };

const vega = await time(async () => (await renderSvg(chart.spec, chart)).svg);
const d3 = await time(() => d3Chart(spec.title.text.join(' '), spec.title.subtitle, spec.datasets));
await db.close();

const lines = (file: string) =>
  readFileSync(new URL(file, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('//')).length;
const d3Source = readFileSync(new URL(import.meta.url), 'utf8');
const d3Lines = d3Source
  .slice(d3Source.indexOf('function d3Chart'), d3Source.indexOf('async function time'))
  .split('\n')
  .filter((line) => line.trim() && !line.trim().startsWith('//')).length;
const texts = (svg: string) => (svg.match(/<text/g) ?? []).length;

mkdirSync('docs/charts', { recursive: true });
const browser = await launchBrowser();
const page = await browser.newPage({ deviceScaleFactor: 2 });
for (const [name, svg] of [
  ['seed-claims-chart', vega.svg],
  ['seed-claims-chart-d3', d3.svg],
] as const) {
  await page.setContent(`<body style="margin:0">${svg}</body>`);
  await page
    .locator('svg')
    .first()
    .screenshot({ path: `docs/charts/${name}.png` });
}
await browser.close();

console.log(`claims chart of the seed article, from the same data: mean of ${RUNS} renders after one warm-up`);
console.log('| drawn with | ms per chart | SVG bytes | <text> elements | lines of chart code |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(
  `| Vega-Lite spec → vega-lite compile → vega SVG | ${vega.ms.toFixed(1)} | ${vega.svg.length} | ${texts(vega.svg)} | ${lines('../src/charts/interval-rows.ts')} (spec) |`,
);
console.log(
  `| d3-scale + d3-shape, SVG by hand | ${d3.ms.toFixed(3)} | ${d3.svg.length} | ${texts(d3.svg)} | ${d3Lines} (no legend, no axis title, no wrapping) |`,
);
console.log(`ratio: vega ${(vega.ms / d3.ms).toFixed(0)}× the time of d3; PNGs in docs/charts/`);
