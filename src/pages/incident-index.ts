// The index at /incidents: the largest current disagreements (the `discrepancies` analysis),
// each with its claims in a line and a link to its incident's page, then every top-level
// incident. Built from the answer to incident-index.graphql; plain HTML, no script.
import { readFileSync } from 'node:fs';
import { capitalised, countedWords, dateWords } from '../charts/words.js';
import type { DatePrecision, FigureMetric, Side } from '../generated/prisma/enums.js';
import { enumWords, escapeHtml as h, page, type ClaimantData } from './html.js';
import { incidentPath, verdict } from './incident-page.js';

export const INCIDENT_INDEX_QUERY = readFileSync(new URL('./incident-index.graphql', import.meta.url), 'utf8');

interface IndexData {
  discrepancies: {
    edges: {
      node: {
        incident: { id: string; title: string; startedAt: string | null; datePrecision: DatePrecision };
        metric: FigureMetric;
        side: Side;
        ratio: number | null;
        agreement: 'AGREE' | 'CONSISTENT' | 'DISAGREE' | 'SINGLE_CLAIMANT';
        positions: { claimant: ClaimantData; figures: { quantity: { phrase: string } }[] }[];
      };
    }[];
  };
  incidents: { totalCount: number; edges: { node: { id: string; title: string; kind: string; startedAt: string | null; datePrecision: DatePrecision } }[] };
}

export type IncidentIndexData = IndexData;

const when = (date: string | null, precision: DatePrecision) => (date ? dateWords(new Date(date), precision) : 'undated');

export function renderIncidentIndex(data: IndexData, query: string): string {
  const disagreements = data.discrepancies.edges
    .map(({ node: item }) => {
      const claims = item.positions
        .map((position) => `${position.claimant.name}: ${position.figures.map((figure) => figure.quantity.phrase).join(' + ')}`)
        .join(' · ');
      return `<li><a href="${h(incidentPath(item.incident.id))}">${h(item.incident.title)}</a> <span class="meta">(${h(when(item.incident.startedAt, item.incident.datePrecision))})</span><br>
${h(capitalised(countedWords(item.metric, item.side)))}: <span class="ratio">${h(verdict(item))}</span><br>${h(claims)}</li>`;
    })
    .join('\n');
  const incidents = data.incidents.edges
    .map(
      ({ node }) =>
        `<li><a href="${h(incidentPath(node.id))}">${h(node.title)}</a> <span class="meta">(${h(enumWords(node.kind))}, ${h(when(node.startedAt, node.datePrecision))})</span></li>`,
    )
    .join('\n');
  const body = `<h1>Largest disagreements</h1>
<p>Where claimants gave numbers for the same incident, the same count and the same side, largest gap first: the gap is how many times the highest low count is the lowest high count (84 against "some 10" is 8.4×).</p>
${disagreements ? `<ol class="disagreements">${disagreements}</ol>` : '<p>No two claimants have given numbers for the same incident yet.</p>'}
<h2>All incidents (${data.incidents.totalCount})</h2>
<ul>${incidents}</ul>`;
  return page({ title: 'Largest disagreements', body, query, nav: '<a href="/graphql">GraphiQL</a>' });
}
