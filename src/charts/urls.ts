// Where the gateway serves each chart (src/http/charts.ts answers these paths): for GraphQL's
// chart fields and the pages. Root-relative: prefix the gateway's address.
import type { FigureMetric, Side } from '../generated/prisma/enums.js';

export type ChartFormat = 'svg' | 'vl.json';

const withQuery = (path: string, query: Record<string, string | null | undefined>) => {
  const params = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => entry[1] != null));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
};

export function claimsChartUrl(
  incidentGlobalId: string,
  query: { metric: FigureMetric; side: Side; asOf?: Date | null; width?: number },
  format: ChartFormat = 'svg',
): string {
  return withQuery(`/charts/incidents/${encodeURIComponent(incidentGlobalId)}/claims.${format}`, {
    metric: query.metric,
    side: query.side,
    asOf: query.asOf?.toISOString(),
    width: query.width?.toString(),
  });
}

export function revisionChartUrl(figureGlobalId: string, format: ChartFormat = 'svg', width?: number): string {
  return withQuery(`/charts/figures/${encodeURIComponent(figureGlobalId)}/revisions.${format}`, { width: width?.toString() });
}

export function totalsChartUrl(
  query: { metric: FigureMetric; sides?: Side[]; groupBy?: 'DAY' | 'WEEK' | 'MONTH'; from?: string; to?: string; width?: number },
  format: ChartFormat = 'svg',
): string {
  return withQuery(`/charts/totals.${format}`, {
    metric: query.metric,
    sides: query.sides?.join(','),
    groupBy: query.groupBy,
    'between.from': query.from,
    'between.to': query.to,
    width: query.width?.toString(),
  });
}
