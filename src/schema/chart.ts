// Charts on the schema: where to get a picture of the data, and the sentence that says it. The
// charts are drawn by src/charts/ and served by the gateway at the URLs given here.
import { claimsChart } from '../charts/claims.js';
import { revisionChart } from '../charts/revisions.js';
import { claimsChartUrl, revisionChartUrl } from '../charts/urls.js';
import type { FigureMetric, Side } from '../generated/prisma/enums.js';
import { globalIdOf } from '../rules/ids.js';
import { builder } from './builder.js';
import { asOfOf } from './common.js';
import { FigureMetricEnum, SideEnum } from './figure.js';

interface ChartShape {
  url: string;
  specUrl: string;
  /** Computed only when asked for. */
  description: () => Promise<string>;
}

const Chart = builder.objectRef<ChartShape>('Chart').implement({
  description:
    "A chart the gateway draws from the data, for an `<img>` in a page or an article. URLs are relative to the gateway's address (the one this API is served from); the answers carry an ETag that changes when the data does.",
  fields: (t) => ({
    url: t.exposeString('url', { description: 'The chart as SVG: text as text, with a `<title>` and a `<desc>` a screen reader says.' }),
    specUrl: t.exposeString('specUrl', {
      description: 'The same chart as a Vega-Lite specification with its data inline (`.vl.json`), to restyle or render elsewhere.',
    }),
    description: t.string({
      description: 'What the chart shows, in one sentence (its `<desc>`): use it as the `alt` text of the image.',
      resolve: (chart) => chart.description(),
    }),
  }),
});

builder.prismaObjectField('Incident', 'claimsChart', (t) =>
  t.field({
    type: Chart,
    description:
      'A chart of the competing claims about this incident (and its parts) for one metric and side: each claimant on its own row, its number drawn as said (a dot for an exact number, a halo for an approximate one, a bar for a range, an arrow to the open end for "at least", words for words), numbers it revised faint beside it, and how far apart the claims are.',
    args: {
      metric: t.arg({ type: FigureMetricEnum, required: true, description: 'What is counted (KILLED...).' }),
      side: t.arg({ type: SideEnum, required: true, description: 'Whose people (STATE_FORCES...).' }),
      asOf: t.arg({ type: 'DateTime', required: false, description: 'As the record stood at this moment.' }),
    },
    resolve: (incident, args, ctx) => {
      const query = { metric: args.metric as FigureMetric, side: args.side as Side, asOf: asOfOf(args.asOf) };
      const id = globalIdOf('Incident', incident.id);
      return {
        url: claimsChartUrl(id, query),
        specUrl: claimsChartUrl(id, query, 'vl.json'),
        description: async () => (await claimsChart(ctx.prisma, { incidentId: incident.id, ...query }))?.description ?? '',
      };
    },
  }),
);

builder.prismaObjectField('Figure', 'revisionChart', (t) =>
  t.field({
    type: Chart,
    description: 'A chart of every version of this figure, oldest first, with who said each and when (the Gwadar toll: five, then 11).',
    resolve: (figure, _args, ctx) => {
      const id = globalIdOf('Figure', figure.id);
      return {
        url: revisionChartUrl(id),
        specUrl: revisionChartUrl(id, 'vl.json'),
        description: async () => (await revisionChart(ctx.prisma, { figureId: figure.id }))?.description ?? '',
      };
    },
  }),
);
