// The incident page: where and when, a chart per metric and side that claimants disagree about
// (with the same claims as a table), every claim with its claimant, quantity as said,
// verification and source chain (outermost first), what each figure revised, what could not be
// verified and who said so, and the parts of the incident. Built from the answer to
// incident-page.graphql; plain HTML, no script.
import { readFileSync } from 'node:fs';
import { claimsChartUrl, revisionChartUrl } from '../charts/urls.js';
import { capitalised, countedWords, dateWords, doubtWords, formatRatio } from '../charts/words.js';
import type { DatePrecision, FigureMetric, Side, VerificationStatus } from '../generated/prisma/enums.js';
import { enumWords, escapeHtml as h, page, type ClaimantData } from './html.js';

export const INCIDENT_PAGE_QUERY = readFileSync(new URL('./incident-page.graphql', import.meta.url), 'utf8');

interface Comparison {
  metric: FigureMetric;
  side: Side;
  ratio: number | null;
  agreement: 'AGREE' | 'CONSISTENT' | 'DISAGREE' | 'SINGLE_CLAIMANT';
  positions: {
    claimant: ClaimantData;
    low: number | null;
    high: number | null;
    unquantified: boolean;
    coversWholeIncident: boolean;
    questioned: boolean;
    figures: { quantity: { phrase: string }; incident: { title: string } | null }[];
  }[];
}

interface FigureData {
  id: string;
  metric: FigureMetric;
  side: Side;
  victimDescription: string;
  quantity: { phrase: string };
  breakdown: { label: string; count: number }[];
  isCurrent: boolean;
  retractedAt: string | null;
  retractionReason: string | null;
  incident: { title: string } | null;
  revisionHistory: { quantity: { phrase: string }; statement: { claimant: ClaimantData } }[];
  supersededBy: { quantity: { phrase: string } } | null;
}

interface StatementData {
  id: string;
  kind: string;
  text: string;
  madeAt: string | null;
  madeAtPrecision: DatePrecision;
  isDirectQuote: boolean;
  verification: VerificationStatus;
  verificationNote: string | null;
  verifiedBy: { name: string } | null;
  claimant: ClaimantData;
  incidents: { title: string }[];
  sourceChain: { source: { title: string | null; description: string; publisher: { name: string } | null } }[];
  figures: FigureData[];
}

export interface IncidentPageData {
  incident: {
    id: string;
    title: string;
    kind: string;
    description: string | null;
    startedAt: string | null;
    endedAt: string | null;
    datePrecision: DatePrecision;
    places: { name: string; parent: { name: string } | null }[];
    parent: { id: string; title: string } | null;
    subIncidents: { id: string; title: string; kind: string; startedAt: string | null; datePrecision: DatePrecision }[];
    claimComparisons: Comparison[];
  } | null;
  statements: { totalCount: number; edges: { node: StatementData }[] };
}

export const incidentPath = (id: string) => `/incidents/${encodeURIComponent(id)}`;

const when = (date: string | null, precision: DatePrecision) => (date ? dateWords(new Date(date), precision) : 'date not given');

/** "Claims 8.4× apart", "claims overlap": the comparison in a few words. */
export function verdict(comparison: Pick<Comparison, 'agreement' | 'ratio'>): string {
  switch (comparison.agreement) {
    case 'DISAGREE':
      return comparison.ratio === null ? 'the claims disagree' : `the claims are ${formatRatio(comparison.ratio)}× apart`;
    case 'CONSISTENT':
      return 'the claims overlap';
    case 'AGREE':
      return 'the claims agree';
    case 'SINGLE_CLAIMANT':
      return 'one claimant gave a number';
  }
}

function chartFigure(incidentId: string, comparison: Comparison): string {
  const what = countedWords(comparison.metric, comparison.side);
  const query = { metric: comparison.metric, side: comparison.side };
  const rows = comparison.positions
    .map((position) => {
      const said = position.figures.map((figure) => figure.quantity.phrase).join(' + ');
      const notes = [
        ...(position.coversWholeIncident
          ? []
          : [`counted only ${[...new Set(position.figures.map((figure) => figure.incident?.title ?? 'a part'))].join('; ')}`]),
        ...(position.questioned ? ['reported as unverified, disputed or false'] : []),
      ];
      const range = position.unquantified
        ? 'no number'
        : position.high === null
          ? `${position.low} or more`
          : position.low === position.high
            ? `${position.low}`
            : `${position.low}–${position.high}`;
      return `<tr><td>${h(position.claimant.name)}</td><td><strong>${h(said)}</strong></td><td>${h(range)}</td><td>${h(notes.join('; '))}</td></tr>`;
    })
    .join('');
  const summary = `${capitalised(what)}: ${verdict(comparison)}`;
  return `<figure>
<picture>
<source media="(max-width: 40rem)" srcset="${h(claimsChartUrl(incidentId, { ...query, width: 400 }))}">
<img src="${h(claimsChartUrl(incidentId, query))}" alt="${h(`Chart. ${summary}; the table below lists each claim.`)}">
</picture>
<figcaption>${h(summary)}. <a href="${h(claimsChartUrl(incidentId, query))}">SVG</a> · <a href="${h(claimsChartUrl(incidentId, query, 'vl.json'))}">Vega-Lite spec</a></figcaption>
<table>
<caption class="meta">${h(capitalised(what))}, each claimant's number as said</caption>
<thead><tr><th scope="col">Claimant</th><th scope="col">Said</th><th scope="col">As a number</th><th scope="col">Note</th></tr></thead>
<tbody>${rows}</tbody>
</table>
</figure>`;
}

function figureLine(figure: FigureData): string {
  const counted = `${figure.victimDescription} ${enumWords(figure.metric)} (${countedWords(figure.metric, figure.side).replace(` ${enumWords(figure.metric)}`, '')})`;
  const breakdown = figure.breakdown.length ? ` — ${figure.breakdown.map((part) => `${part.count} ${part.label}`).join(', ')}` : '';
  const where = figure.incident ? `, ${figure.incident.title}` : '';
  const status = figure.retractedAt
    ? `<span class="superseded">retracted${figure.retractionReason ? `: ${h(figure.retractionReason)}` : ''}</span>`
    : figure.supersededBy
      ? `<span class="superseded">superseded by "${h(figure.supersededBy.quantity.phrase)}"</span>`
      : figure.isCurrent
        ? 'current'
        : '<span class="superseded">not current</span>';
  const revised = figure.revisionHistory.length
    ? ` Revises ${figure.revisionHistory.map((earlier) => `"${h(earlier.quantity.phrase)}" (${h(earlier.statement.claimant.name)})`).join(', then ')}. <a href="${h(revisionChartUrl(figure.id))}">How it changed (chart)</a>.`
    : '';
  return `<li class="figure"><strong>${h(figure.quantity.phrase)}</strong> ${h(counted)}${h(breakdown)}${h(where)} · ${status}.${revised}</li>`;
}

function claim(statement: StatementData): string {
  const doubt = doubtWords(statement.verification, statement.verifiedBy?.name);
  const chain = statement.sourceChain.map((link) => link.source.title ?? link.source.description).join(' › ');
  return `<li><article aria-label="${h(`Statement by ${statement.claimant.name}`)}">
<h3>${h(statement.claimant.name)} <span class="meta">(${h(enumWords(statement.kind))})</span></h3>
<p class="when">${h(when(statement.madeAt, statement.madeAtPrecision))}${statement.isDirectQuote ? ' · direct quote' : ' · as reported'}</p>
<blockquote>${h(statement.text)}</blockquote>
${doubt ? `<p class="doubt">This ${h(doubt)}${statement.verificationNote ? `: ${h(statement.verificationNote)}` : ''}</p>` : ''}
${statement.figures.length ? `<ul class="plain">${statement.figures.map(figureLine).join('')}</ul>` : ''}
<p class="chain">Source chain, outermost first: ${h(chain || 'not recorded')}</p>
</article></li>`;
}

export function renderIncidentPage(data: IncidentPageData, query: string): string {
  const incident = data.incident!;
  const statements = data.statements.edges.map((edge) => edge.node);
  const places = incident.places.map((place) => (place.parent ? `${place.name}, ${place.parent.name}` : place.name)).join('; ');
  const dates =
    incident.endedAt && incident.endedAt !== incident.startedAt
      ? `${when(incident.startedAt, incident.datePrecision)} to ${when(incident.endedAt, incident.datePrecision)}`
      : when(incident.startedAt, incident.datePrecision);
  const compared = incident.claimComparisons.filter((comparison) => comparison.positions.length > 0);
  const questioned = statements.filter((statement) => doubtWords(statement.verification, statement.verifiedBy?.name));
  const body = `<h1>${h(incident.title)}</h1>
<p class="meta">${h(capitalised(enumWords(incident.kind)))} · ${h(dates)}${places ? ` · ${h(places)}` : ''}</p>
${incident.parent ? `<p>Part of <a href="${h(incidentPath(incident.parent.id))}">${h(incident.parent.title)}</a>.</p>` : ''}
${incident.description ? `<p>${h(incident.description)}</p>` : ''}
<section aria-labelledby="compared"><h2 id="compared">Who claimed what</h2>
${compared.length ? compared.map((comparison) => chartFigure(incident.id, comparison)).join('\n') : '<p>No figures have been claimed for this incident.</p>'}
</section>
<section aria-labelledby="claims"><h2 id="claims">Every claim (${data.statements.totalCount})</h2>
${statements.length ? `<ol class="claims">${statements.map(claim).join('\n')}</ol>` : '<p>No statements are recorded about this incident.</p>'}
${data.statements.totalCount > statements.length ? `<p>The first ${statements.length} of ${data.statements.totalCount} are shown; the query in GraphiQL pages through all.</p>` : ''}
</section>
<section aria-labelledby="unverified"><h2 id="unverified">What could not be verified</h2>
${questioned.length ? `<ul>${questioned.map((statement) => `<li>${h(statement.claimant.name)}: “${h(statement.text)}” — ${h(doubtWords(statement.verification, statement.verifiedBy?.name)!)}${statement.verificationNote ? `: ${h(statement.verificationNote)}` : ''}</li>`).join('')}</ul>` : '<p>Nothing reported as unverified, disputed or false.</p>'}
</section>
${incident.subIncidents.length ? `<section aria-labelledby="parts"><h2 id="parts">Parts of this incident</h2><ul>${incident.subIncidents.map((part) => `<li><a href="${h(incidentPath(part.id))}">${h(part.title)}</a> <span class="meta">(${h(enumWords(part.kind))}, ${h(when(part.startedAt, part.datePrecision))})</span></li>`).join('')}</ul></section>` : ''}`;
  return page({ title: incident.title, body, query });
}
