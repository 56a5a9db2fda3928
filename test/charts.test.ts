// Journalists embed pictures of the competing claims: SVG charts (and their Vega-Lite specs) of an
// incident's claims, a figure's revisions and totals over time, served by the gateway, drawn as
// said, with a sentence for screen readers, the same bytes for the same data, and validators that
// change exactly when the data does. Bad parameters get a clear 400/404, never a broken image.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { createApiKey } from '../src/auth/keys.js';
import { claimsChart } from '../src/charts/claims.js';
import { renderSvg } from '../src/charts/render.js';
import { bearer, seedTargets, startGateway, type TestGateway } from './support/gateway.js';
import { hospitalClaim, RECORD } from './support/security-deaths.js';

let gateway: TestGateway;
let attacks: { id: string; chart: { url: string; specUrl: string; description: string } };
let gwadar: { id: string; figure: string };
let writer: Record<string, string>;

beforeAll(async () => {
  gateway = await startGateway();
  writer = bearer((await createApiKey(gateway.db.prisma, 'Chart fixtures', ['WRITE'])).secret);
  const data = await gateway.data(`{
    attacks: incidents(filter: { kinds: [COORDINATED_ATTACK] }) { edges { node { id
      claimsChart(metric: KILLED, side: STATE_FORCES) { url specUrl description } } } }
    gwadar: incidents(filter: { kinds: [ARMED_ATTACK] }) { edges { node { id } } }
    figures(filter: { victimCategories: [PEOPLE], current: true }) { edges { node { id } } } }`);
  attacks = { id: data.attacks.edges[0].node.id, chart: data.attacks.edges[0].node.claimsChart };
  gwadar = { id: data.gwadar.edges[0].node.id, figure: data.figures.edges[0].node.id };
});
afterAll(() => gateway.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${gateway.url}${path}`, { headers });
const claimsPath = (incident: string, query: string, format = 'svg') => `/charts/incidents/${encodeURIComponent(incident)}/claims.${format}?${query}`;

async function svgOf(path: string): Promise<string> {
  const response = await get(path);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
  return response.text();
}

/** The text a reader sees in an SVG, in document order. */
const texts = (svg: string) =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) =>
    match[1]!
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&'),
  );
const desc = (svg: string) => /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)?.[1];

describe('the claims chart of the seed article', () => {
  it('is offered on the schema, with the sentence a screen reader says', () => {
    expect(attacks.chart.url).toBe(claimsPath(attacks.id, 'metric=KILLED&side=STATE_FORCES'));
    expect(attacks.chart.specUrl).toBe(claimsPath(attacks.id, 'metric=KILLED&side=STATE_FORCES', 'vl.json'));
    expect(attacks.chart.description).toContain('Baloch Liberation Army: 84; security officials: some 10; ratio 8.4');
  });

  it('draws each claimant as said, as text, with <title> and <desc>, and the spread 8.4×', async () => {
    const svg = await svgOf(attacks.chart.url);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="(chart-\w+)-title \1-desc"><title id="\1-title">/);
    expect(desc(svg)).toContain('Baloch Liberation Army: 84; security officials: some 10; ratio 8.4');
    expect(texts(svg)).toEqual(expect.arrayContaining(['Baloch Liberation Army: 84', 'security officials: some 10', '8.4× apart', '84', '~10']));
    expect(svg).not.toMatch(/<script|<foreignObject|href="(?!#)/); // nothing to run, nothing fetched
    await expect(svg).toMatchFileSnapshot('__snapshots__/charts/claims-attacks-killed-state-forces.svg');
  });

  it('shows a bound as a bar to the open end, a part as a lower bound, and words without a mark', async () => {
    const svg = await svgOf(claimsPath(attacks.id, 'metric=KILLED&side=NON_STATE_ARMED_GROUP'));
    expect(texts(svg)).toEqual(expect.arrayContaining(['security officials: at least 67', 'Mohsin Naqvi: dozens', 'no number given', 'Atta-ur-Rehman: six']));
    expect(desc(svg)).toContain('Atta-ur-Rehman: six (at least 6 in all: counted only Attack on a camp accommodating migrant workers in Gwadar)');
    expect(desc(svg)).toContain('the claims overlap');
    await expect(svg).toMatchFileSnapshot('__snapshots__/charts/claims-attacks-killed-armed-group.svg');
  });

  it('shows the number a revision replaced faint beside it (Gwadar: five → 11)', async () => {
    const svg = await svgOf(claimsPath(gwadar.id, 'metric=KILLED&side=UNSPECIFIED'));
    expect(texts(svg)).toEqual(expect.arrayContaining(['Atta-ur-Rehman: 11 people']));
    expect(texts(svg).some((text) => text.startsWith('revises "five"'))).toBe(true);
    await expect(svg).toMatchFileSnapshot('__snapshots__/charts/claims-gwadar-killed.svg');
  });

  it('says when there is nothing to draw, and answers as the record stood at asOf', async () => {
    const none = await svgOf(claimsPath(attacks.id, 'metric=INJURED&side=CIVILIAN'));
    expect(texts(none)).toContain('No claims of civilians injured recorded for this incident.');
    const before = await svgOf(claimsPath(attacks.id, 'metric=KILLED&side=STATE_FORCES&asOf=2026-01-30T23:00:00Z'));
    expect(desc(before)).toContain('No claims recorded');
  });

  it('is the same bytes every time it is drawn from the same data', async () => {
    const incidentId = Number(Buffer.from(attacks.id, 'base64').toString().split(':')[1]);
    const draw = async () => {
      const chart = (await claimsChart(gateway.db.prisma, { incidentId, metric: 'KILLED', side: 'STATE_FORCES' }))!;
      return (await renderSvg(chart.spec, chart)).svg;
    };
    const [first, second] = [await draw(), await draw()];
    expect(second).toBe(first);
    expect(await svgOf(attacks.chart.url)).toBe(first);
  });

  it('offers the Vega-Lite spec, data inline, that compiles as it is', async () => {
    const response = await get(attacks.chart.specUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const spec = await response.json();
    expect(spec.$schema).toMatch(/vega-lite\/v6/);
    expect(spec.datasets.claims.map((row: any) => row.label)).toEqual(['Baloch Liberation Army: 84', 'security officials: some 10']);
    expect(() => compile(spec)).not.toThrow();
  });
});

describe('other charts', () => {
  it("draws a figure's revision timeline: every version, oldest first, only the current one solid", async () => {
    const { node } = await gateway.data(`query($id: ID!) { node(id: $id) { ... on Figure { revisionChart { url description } } } }`, { id: gwadar.figure });
    expect(node.revisionChart.description).toMatch(
      /oldest first: five \(not stated.*; superseded by the next version\); then 11 people \(Atta-ur-Rehman, 31 January 2026; current\)/,
    );
    const svg = await svgOf(node.revisionChart.url);
    expect(texts(svg)).toEqual(expect.arrayContaining(['31 January 2026 · Atta-ur-Rehman: 11 people', 'current', 'superseded by the next version']));
    await expect(svg).toMatchFileSnapshot('__snapshots__/charts/revisions-gwadar.svg');
  });

  it('draws totals per day as a low–high band, an open end as open, never as a number', async () => {
    const svg = await svgOf('/charts/totals.svg?metric=KILLED&sides=NON_STATE_ARMED_GROUP&claimantCombination=HIGHEST_CLAIM');
    expect(desc(svg)).toBe(
      'Armed-group members killed per day, for each incident, the highest claim: 30 January 2026: 41; 31 January 2026: at least 67, no upper bound.',
    );
    expect(texts(svg)).toEqual(expect.arrayContaining(['41', '≥ 67, no upper bound']));
    await expect(svg).toMatchFileSnapshot('__snapshots__/charts/totals-armed-group-per-day.svg');
    const state = await svgOf('/charts/totals.svg?metric=KILLED&sides=STATE_FORCES&groupBy=MONTH');
    expect(desc(state)).toContain('January 2026: 10 to 84');
    const none = await svgOf('/charts/totals.svg?metric=SURRENDERED');
    expect(texts(none)).toContain('No claims of people who surrendered (all sides) recorded.');
  });
});

describe('caching', () => {
  it('revalidates with a 304 until the data changes, then draws the new claim; a retracted claim leaves the chart', async () => {
    const first = await get(attacks.chart.url);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('public, no-cache');
    const again = await get(attacks.chart.url, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const targets = await seedTargets(gateway);
    const recorded = await gateway.graphql(
      RECORD,
      { input: hospitalClaim('Hospital officials said 30 soldiers died.', 30, { incident: attacks.id, source: targets.source }) },
      writer,
    );
    const statement = recorded.data.recordStatement.statement.id;
    const changed = await get(attacks.chart.url, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.headers.get('last-modified')).toBeTruthy();
    expect(desc(await changed.text())).toContain('hospital officials: 30');

    await gateway.graphql(`mutation($s: ID!) { retractStatement(statement: $s, reason: "wrong incident") { __typename } }`, { s: statement }, writer);
    const retracted = await svgOf(attacks.chart.url);
    expect(desc(retracted)).not.toContain('hospital officials');
    expect(desc(retracted)).toContain('ratio 8.4');
  });

  it('marks a claim reported as unverified, hollow and dashed, and says so', async () => {
    const targets = await seedTargets(gateway);
    const input = { ...hospitalClaim('A channel said 200 soldiers died.', 200, { incident: attacks.id, source: targets.source }), verification: 'UNVERIFIED' };
    input.claimant = { kind: 'UNNAMED_GROUP', description: 'a television channel', affiliation: 'UNKNOWN' } as never;
    const recorded = await gateway.graphql(RECORD, { input }, writer);
    expect(recorded.data.recordStatement.__typename).toBe('RecordPayload');
    const svg = await svgOf(attacks.chart.url);
    expect(desc(svg)).toContain('a television channel: 200 (reported: could not be verified)');
    expect(svg).toContain('fill="white"'); // the hollow dot
    await gateway.graphql(
      `mutation($s: ID!) { retractStatement(statement: $s, reason: "test over") { __typename } }`,
      { s: recorded.data.recordStatement.statement.id },
      writer,
    );
  });
});

describe('bad requests get a clear answer, never a broken image', () => {
  const errorOf = async (path: string, status: number) => {
    const response = await get(path);
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    return response;
  };

  it('an unknown incident is a 404 SVG that says so', async () => {
    const unknown = Buffer.from('Incident:999999').toString('base64');
    const response = await errorOf(claimsPath(unknown, 'metric=KILLED&side=STATE_FORCES'), 404);
    expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await response.text();
    expect(texts(svg)).toContain('No chart (HTTP 404)');
    expect(desc(svg)).toContain('No incident has this ID');
  });

  it('a wrong ID type, an unknown metric, a missing side and an unknown parameter are a 400 naming each', async () => {
    const figureId = gwadar.figure;
    const svg = await (await errorOf(claimsPath(figureId, 'metric=KILLD&colour=red'), 400)).text();
    expect(desc(svg)).toContain('Invalid parameter incident: must be the ID of an Incident; this is the ID of a Figure');
    expect(desc(svg)).toContain('Invalid parameter metric: must be one of KILLED, INJURED');
    expect(desc(svg)).toContain('Invalid parameter side: is required');
    expect(desc(svg)).toContain('Invalid parameter colour: unknown parameter');
    const json = await (await errorOf(claimsPath('not-an-id', 'metric=KILLED&side=STATE_FORCES', 'vl.json'), 400)).json();
    expect(json.errors).toEqual([expect.objectContaining({ parameter: 'incident', value: 'not-an-id' })]);
    await errorOf(claimsPath(attacks.id, 'metric=KILLED&side=STATE_FORCES&width=10'), 400);
    await errorOf(claimsPath(attacks.id, 'metric=KILLED&side=STATE_FORCES&asOf=2026-02-30'), 400);
  });

  it('an unknown chart is a 404 and a write method a 405', async () => {
    expect(await (await errorOf('/charts/nothing.svg', 404)).text()).toContain('No such chart');
    const post = await fetch(`${gateway.url}${attacks.chart.url}`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
