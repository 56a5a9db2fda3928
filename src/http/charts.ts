// `GET /charts/…`: the charts as SVG (for an <img> in a page or an article) and as Vega-Lite specs
// (`.vl.json`, with the data inline, for a newsroom to restyle):
//   /charts/incidents/{incident id}/claims.svg?metric=KILLED&side=STATE_FORCES[&asOf=…]
//   /charts/figures/{figure id}/revisions.svg
//   /charts/totals.svg?metric=KILLED[&sides=…&groupBy=DAY|WEEK|MONTH&between.from=…&place=…]
// All take `width` (pixels). A bad parameter is a 400 and an unknown incident or figure a 404,
// answered for `.svg` as an SVG that says what is wrong (an <img> shows the message, never a
// broken image) and for `.vl.json` as JSON naming each parameter and its rule. Each answer carries
// an ETag tied to the data's last change (src/http/freshness.ts); rendered SVGs are kept in
// memory by ETag, so a chart is drawn once per change of the data.
import type { Plugin } from 'graphql-yoga';
import { claimsChart, type Chart } from '../charts/claims.js';
import { wrapToWidth } from '../charts/interval-rows.js';
import { escapeXml, renderSvg } from '../charts/render.js';
import { revisionChart } from '../charts/revisions.js';
import { TOTALS_PERIODS, totalsChart } from '../charts/totals.js';
import { CLAIMANT_COMBINATIONS } from '../claims/totals.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { FigureMetric, Side, VictimCategory } from '../generated/prisma/enums.js';
import { cachingHeaders, clientHasCurrent, freshness } from './freshness.js';
import { parameterMessage, readParameters, type ParameterError } from './parameters.js';
import { z } from 'zod';
import { asOfMoment, periodOf, type StatedDate } from '../rules/dates.js';
import { date, dateRangeInput, enumList, enumOf, int, ref } from '../rules/fields.js';

export const CHARTS_PATH = '/charts/';

type Format = 'svg' | 'vl.json';

const CONTENT_TYPES: Record<Format, string> = {
  svg: 'image/svg+xml; charset=utf-8',
  'vl.json': 'application/json; charset=utf-8',
};

const asEnum = <const Values extends readonly string[]>(values: Values) =>
  Object.fromEntries(values.map((value) => [value, value])) as { [K in Values[number]]: K };

/** A chart the URL asks for: how to draw it, or null when what it names does not exist. */
type ChartRequest = (prisma: PrismaClient) => Promise<Chart | null>;

interface Route {
  path: RegExp;
  /** The parameters, as rules (the path's ID among them, under `segment`). */
  parameters: z.ZodType;
  /** The path's ID, given to the rules under this name. */
  segment?: string;
  /** The chart the parameters ask for. */
  draw(parameters: never): ChartRequest;
  /** What a 404 says. */
  missing: string;
}

const width = int(280, 1600, 'The width in pixels.').nullish();
const asOf = date('As the record stood at this moment (a date: the end of that day).').nullish();
const momentOf = (stated: StatedDate | null | undefined) => (stated ? asOfMoment(stated) : null);

const claimsParameters = z.strictObject({
  incident: ref(['Incident'], 'The incident.'),
  metric: enumOf(FigureMetric, 'What is counted.'),
  side: enumOf(Side, 'Whose people are counted.'),
  asOf,
  width,
});

const revisionParameters = z.strictObject({ figure: ref(['Figure'], 'The figure.'), width });

const totalsParameters = z.strictObject({
  metric: enumOf(FigureMetric, 'What is counted.'),
  sides: enumList(Side, 'Only these sides.').nullish(),
  victimCategories: enumList(VictimCategory, 'Only these people.').nullish(),
  between: dateRangeInput.nullish(),
  place: ref(['Place'], 'Only at this place or inside it.').nullish(),
  groupBy: enumOf(asEnum(TOTALS_PERIODS), 'DAY, WEEK or MONTH (default DAY).').nullish(),
  claimantCombination: enumOf(asEnum(CLAIMANT_COMBINATIONS), 'How claimants of one incident are combined.').nullish(),
  asOf,
  width,
});

const ROUTES: Route[] = [
  {
    path: /^\/charts\/incidents\/([^/]+)\/claims\.(svg|vl\.json)$/,
    missing: 'No incident has this ID (it may have been merged away or deleted).',
    parameters: claimsParameters,
    segment: 'incident',
    draw: (p: z.output<typeof claimsParameters>) => (prisma) =>
      claimsChart(prisma, { incidentId: p.incident.id!, metric: p.metric, side: p.side, asOf: momentOf(p.asOf), width: p.width ?? undefined }),
  },
  {
    path: /^\/charts\/figures\/([^/]+)\/revisions\.(svg|vl\.json)$/,
    missing: 'No figure has this ID.',
    parameters: revisionParameters,
    segment: 'figure',
    draw: (p: z.output<typeof revisionParameters>) => (prisma) => revisionChart(prisma, { figureId: p.figure.id!, width: p.width ?? undefined }),
  },
  {
    path: /^\/charts\/totals\.(svg|vl\.json)$/,
    missing: '',
    parameters: totalsParameters,
    draw: (p: z.output<typeof totalsParameters>) => (prisma) =>
      totalsChart(prisma, {
        metric: p.metric,
        sides: p.sides,
        victimCategories: p.victimCategories,
        between: periodOf(p.between),
        placeId: p.place?.id ?? null,
        groupBy: p.groupBy ?? 'DAY',
        claimantCombination: p.claimantCombination,
        asOf: momentOf(p.asOf),
        width: p.width ?? undefined,
      }),
  },
];

const ROUTE_LIST = '/charts/incidents/{incident id}/claims.svg, /charts/figures/{figure id}/revisions.svg, /charts/totals.svg (or .vl.json)';

/** An SVG that says why there is no chart: what an <img> shows instead of a broken image. */
function problemSvg(heading: string, lines: string[]): string {
  const wrapped = lines.flatMap((line) => wrapToWidth(line, 600, { fontSize: 13 }));
  const height = 52 + wrapped.length * 19;
  const text = wrapped.map((line, i) => `<text x="16" y="${58 + i * 19}" font-size="13" fill="#1a1a1a">${escapeXml(line)}</text>`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="${height}" viewBox="0 0 640 ${height}" role="img" aria-labelledby="problem-title problem-desc">` +
    `<title id="problem-title">${escapeXml(heading)}</title><desc id="problem-desc">${escapeXml(lines.join(' '))}</desc>` +
    `<rect width="640" height="${height}" fill="#fff" stroke="#b30000" stroke-width="2"/>` +
    `<text x="16" y="32" font-family="Helvetica, Arial, sans-serif" font-size="15" font-weight="bold" fill="#b30000">${escapeXml(heading)}</text>` +
    `<g font-family="Helvetica, Arial, sans-serif">${text}</g></svg>`
  );
}

function problem(format: Format, status: number, errors: (ParameterError | { rule: string })[]): Response {
  const messages = errors.map((error) => ('parameter' in error ? parameterMessage(error) : error.rule));
  const headers = { 'cache-control': 'no-store' };
  if (format === 'svg') {
    return new Response(problemSvg(`No chart (HTTP ${status})`, messages), { status, headers: { ...headers, 'content-type': CONTENT_TYPES.svg } });
  }
  return Response.json({ errors: errors.map((error, i) => ({ ...error, message: messages[i] })) }, { status, headers });
}

/** Rendered SVGs by ETag, least recently used dropped first. */
class RenderedCharts {
  private readonly kept = new Map<string, string>();
  constructor(private readonly max: number) {}
  get(etag: string): string | undefined {
    const svg = this.kept.get(etag);
    if (svg !== undefined) {
      this.kept.delete(etag);
      this.kept.set(etag, svg);
    }
    return svg;
  }
  set(etag: string, svg: string): void {
    this.kept.set(etag, svg);
    if (this.kept.size > this.max) this.kept.delete(this.kept.keys().next().value!);
  }
}

export interface ChartOptions {
  /** Whether anonymous requests may read: shared caches may keep charts only then. */
  publicReads: boolean;
}

/** The chart endpoints as a yoga plugin: answers `/charts/…`, hands every other URL on. */
export function chartEndpoints(reader: () => PrismaClient, options: ChartOptions): Plugin {
  const rendered = new RenderedCharts(500);
  return {
    async onRequest({ request, url, endResponse }) {
      if (!url.pathname.startsWith(CHARTS_PATH)) return;
      endResponse(await chartResponse(reader(), request, url, options, rendered));
    },
  };
}

async function chartResponse(prisma: PrismaClient, request: Request, url: URL, options: ChartOptions, rendered: RenderedCharts): Promise<Response> {
  const format: Format = url.pathname.endsWith('.vl.json') ? 'vl.json' : 'svg';
  let match: RegExpExecArray | null = null;
  const route = ROUTES.find((candidate) => (match = candidate.path.exec(url.pathname)));
  if (!route || !match) return problem(format, 404, [{ rule: `No such chart. Charts: ${ROUTE_LIST}.` }]);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const response = problem(format, 405, [{ rule: 'Charts answer GET (and HEAD) only.' }]);
    response.headers.set('allow', 'GET, HEAD');
    return response;
  }
  const [segment] = (match as RegExpExecArray).slice(1, -1).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part; // not valid percent-encoding: the ID check names it
    }
  });
  const read = readParameters(route.parameters, url.searchParams, route.segment && segment !== undefined ? { [route.segment]: segment } : {});
  if (!read.ok) return problem(format, 400, read.errors);
  const draw = route.draw(read.value as never);

  const fresh = await freshness(prisma, url);
  const headers = { 'content-type': CONTENT_TYPES[format], ...cachingHeaders(fresh, options.publicReads) };
  if (clientHasCurrent(request, fresh)) return new Response(null, { status: 304, headers });
  let body = rendered.get(fresh.etag);
  if (body === undefined) {
    const chart = await draw(prisma);
    if (!chart) return problem(format, 404, [{ rule: route.missing }]);
    body = format === 'svg' ? (await renderSvg(chart.spec, chart)).svg : `${JSON.stringify(chart.spec, null, 2)}\n`;
    rendered.set(fresh.etag, body);
  }
  return new Response(request.method === 'HEAD' ? null : body, { headers });
}
