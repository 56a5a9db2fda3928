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
import { Parameters, type ParameterError } from './parameters.js';

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
  /** The chart the parameters ask for (problems go into `p.errors`). */
  read(p: Parameters, segments: string[]): ChartRequest;
  /** What a 404 says. */
  missing: string;
}

const width = (p: Parameters) => p.integer('width', 280, 1600);

const ROUTES: Route[] = [
  {
    path: /^\/charts\/incidents\/([^/]+)\/claims\.(svg|vl\.json)$/,
    missing: 'No incident has this ID (it may have been merged away or deleted).',
    read(p, [id]) {
      const query = {
        incidentId: p.globalId('incident', id!, 'Incident')!,
        metric: p.enumValue('metric', FigureMetric, { required: true })!,
        side: p.enumValue('side', Side, { required: true })!,
        asOf: p.date('asOf'),
        width: width(p),
      };
      return (prisma) => claimsChart(prisma, query);
    },
  },
  {
    path: /^\/charts\/figures\/([^/]+)\/revisions\.(svg|vl\.json)$/,
    missing: 'No figure has this ID.',
    read(p, [id]) {
      const query = { figureId: p.globalId('figure', id!, 'Figure')!, width: width(p) };
      return (prisma) => revisionChart(prisma, query);
    },
  },
  {
    path: /^\/charts\/totals\.(svg|vl\.json)$/,
    missing: '',
    read(p) {
      const query = {
        metric: p.enumValue('metric', FigureMetric, { required: true })!,
        sides: p.enumList('sides', Side),
        victimCategories: p.enumList('victimCategories', VictimCategory),
        between: p.dateRange('between'),
        placeId: p.id('place', 'Place'),
        groupBy: p.enumValue('groupBy', asEnum(TOTALS_PERIODS)) ?? 'DAY',
        claimantCombination: p.enumValue('claimantCombination', asEnum(CLAIMANT_COMBINATIONS)),
        asOf: p.date('asOf'),
        width: width(p),
      };
      return (prisma) => totalsChart(prisma, query);
    },
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
  const messages = errors.map((error) =>
    'parameter' in error ? `Invalid parameter ${error.parameter}: must be ${error.rule}${error.value === undefined ? '' : `, got ${JSON.stringify(error.value)}`}` : error.rule,
  );
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
  const p = new Parameters(url.searchParams);
  const segments = (match as RegExpExecArray).slice(1, -1).map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment; // not valid percent-encoding: the ID check names it
    }
  });
  const draw = route.read(p, segments);
  p.rejectUnknown(url.pathname);
  if (p.errors.length > 0) return problem(format, 400, p.errors);

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
