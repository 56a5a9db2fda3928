// A journalist reads the incidents in a browser: the index of the largest disagreements and an
// incident's page, server-rendered, working without JavaScript, readable on a phone, asking
// nothing of any server but the gateway, without console errors, passing axe-core's WCAG 2.1 AA
// checks — and a link that opens GraphiQL on the very query behind the page.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, DESKTOP, describeViolations, launchBrowser, openPage, PHONE, requestsOutside } from './support/browser.js';
import { createApiKey } from '../src/auth/keys.js';
import { bearer, seedTargets, startGateway, type TestGateway } from './support/gateway.js';
import { hospitalClaim, RECORD } from './support/security-deaths.js';

let gateway: TestGateway;
let browser: Browser;
let attacks: string;
let gwadar: string;

beforeAll(async () => {
  [gateway, browser] = await Promise.all([startGateway(), launchBrowser()]);
  const data = await gateway.data(`{
    attacks: incidents(filter: { kinds: [COORDINATED_ATTACK] }) { edges { node { id } } }
    gwadar: incidents(filter: { kinds: [ARMED_ATTACK] }) { edges { node { id } } } }`);
  attacks = data.attacks.edges[0].node.id;
  gwadar = data.gwadar.edges[0].node.id;
});
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

const pagePath = (id: string) => `/incidents/${encodeURIComponent(id)}`;

/**
 * Checks what every page must do — ask nothing of any other server, no console errors, axe-core's
 * checks passed, no sideways scrolling — then opens it again with JavaScript off, as the page
 * must work without it, for the test to read. (axe needs JavaScript to run, the page does not.)
 */
async function read(path: string, options = PHONE) {
  const checked = await openPage(browser, `${gateway.url}${path}`, options);
  expect(requestsOutside(checked, gateway.url)).toEqual([]);
  expect(checked.errors).toEqual([]);
  const violations = await accessibilityViolations(checked.page);
  expect(violations, describeViolations(violations)).toEqual([]);
  const overflow = await checked.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await checked.close();
  const opened = await openPage(browser, `${gateway.url}${path}`, { ...options, javaScript: false });
  expect(requestsOutside(opened, gateway.url)).toEqual([]);
  return opened;
}

describe('the index of incidents', () => {
  it('lists the largest current disagreement first, with its claims and a link that works without JavaScript', async () => {
    const opened = await read('/incidents');
    const page = opened.page;
    expect(await page.locator('h1').textContent()).toBe('Largest disagreements');
    const first = page.locator('ol.disagreements > li').first();
    expect(await first.innerText()).toMatch(/State forces killed: the claims are 8\.4× apart\s+Baloch Liberation Army: 84 · security officials: some 10/);
    await first.locator('a').click();
    await page.waitForURL(`**${pagePath(attacks)}`);
    expect(await page.locator('h1').textContent()).toBe('Coordinated militant attacks across Balochistan');
    await opened.close();
  });
});

describe("an incident's page", () => {
  it('tells the story: where and when, the charts and their tables, every claim with its source chain, the parts', async () => {
    for (const size of [PHONE, DESKTOP]) {
      const opened = await read(pagePath(attacks), size);
      const page = opened.page;
      expect(await page.locator('.meta').first().innerText()).toContain('Coordinated attack · 31 January 2026 · Balochistan, Pakistan');
      // every chart image loaded, with a text alternative
      const images = page.locator('figure img');
      expect(await images.count()).toBe(4); // state forces, armed group, unspecified (Gwadar), civilians killed
      for (const image of await images.all()) {
        expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
        expect(await image.getAttribute('alt')).toMatch(/^Chart\. /);
      }
      expect(await images.first().getAttribute('alt')).toBe('Chart. State forces killed: the claims are 8.4× apart; the table below lists each claim.');
      const table = await page.locator('figure table').first().innerText();
      expect(table).toMatch(/Baloch Liberation Army\s+84\s+84/);
      expect(table).toMatch(/security officials\s+some 10\s+10/);
      const claims = page.locator('ol.claims > li');
      expect(await claims.count()).toBe(12);
      const bla = await claims.filter({ hasText: 'Baloch Liberation Army (responsibility claim)' }).innerText();
      expect(bla).toContain('84 Pakistan security personnel killed (state forces)');
      expect(bla).toMatch(/Source chain, outermost first: 67 militants killed in coordinated attacks in Pakistan’s Balochistan/);
      const gwadarToll = await claims.filter({ hasText: '11 people' }).first().innerText();
      expect(gwadarToll).toContain('Revises "five"');
      const unverified = await page.locator('section[aria-labelledby="unverified"]').innerText();
      expect(unverified).toContain('could not be verified (Reuters): Reuters could not independently verify the video.');
      expect(await page.locator('section[aria-labelledby="parts"] li').count()).toBe(4);
      await opened.close();
    }
  });

  it('links each part and each revision chart; a part links back to the whole', async () => {
    const opened = await read(pagePath(gwadar), DESKTOP);
    const page = opened.page;
    expect(await page.getByRole('link', { name: 'Coordinated militant attacks across Balochistan' }).getAttribute('href')).toBe(pagePath(attacks));
    const revisions = page.getByRole('link', { name: 'How it changed (chart)' });
    const response = await page.request.get(`${gateway.url}${await revisions.first().getAttribute('href')}`);
    expect(response.status()).toBe(200);
    expect(await response.text()).toContain('then 11 people');
    await opened.close();
  });

  it('opens GraphiQL on the query that produced the page, which answers with the same claims', async () => {
    const opened = await read(pagePath(attacks), DESKTOP);
    const href = await opened.page.getByRole('link', { name: 'Open the query behind this page in GraphiQL' }).getAttribute('href');
    await opened.close();
    const query = new URL(href!, gateway.url).searchParams.get('query')!;
    expect(query).toContain(`node(id: "${attacks}")`);
    const { data, errors } = await gateway.graphql(query); // over HTTP, within the gateway's cost limits
    expect(errors).toBeUndefined();
    expect(data.incident.title).toBe('Coordinated militant attacks across Balochistan');
    expect(data.statements.totalCount).toBe(12);

    const graphiql = await openPage(browser, `${gateway.url}${href}`, { ...DESKTOP, javaScript: true, waitUntil: 'load' });
    await graphiql.page.locator('.graphiql-query-editor').waitFor();
    // Monaco draws spaces as non-breaking ones
    const editorText = async () => (await graphiql.page.locator('.graphiql-query-editor').innerText()).replace(/\u00a0/g, ' ');
    await expect.poll(editorText).toContain('query IncidentPage {');
    expect(await editorText()).toContain(`node(id: "${attacks}")`);
    expect(requestsOutside(graphiql, gateway.url)).toEqual([]);
    await graphiql.close();
  });
});

describe('a changed record', () => {
  it('shows a new claim at once, and a retracted one never as current', async () => {
    const writer = bearer((await createApiKey(gateway.db.prisma, 'Page fixtures', ['WRITE'])).secret);
    const targets = await seedTargets(gateway);
    const input = hospitalClaim('Hospital officials said 30 soldiers died.', 30, { incident: attacks, source: targets.source });
    const recorded = await gateway.graphql(RECORD, { input }, writer);
    const html = async () => (await fetch(`${gateway.url}${pagePath(attacks)}`)).text();
    expect(await html()).toContain('Hospital officials said 30 soldiers died.');
    await gateway.graphql(
      `mutation($s: ID!) { retractStatement(statement: $s, reason: "wrong incident") { __typename } }`,
      { s: recorded.data.recordStatement.statement.id },
      writer,
    );
    const after = await html();
    expect(after).not.toContain('Hospital officials said 30 soldiers died.');
    expect(after).not.toContain('hospital officials');
  });
});

describe('bad addresses', () => {
  it("the index's query runs in GraphiQL too, within the gateway's limits", async () => {
    const html = await (await fetch(`${gateway.url}/incidents`)).text();
    const href = /href="([^"]*)">Open the query behind this page in GraphiQL/.exec(html)![1]!.replace(/&amp;/g, '&');
    const { data, errors } = await gateway.graphql(new URL(href, gateway.url).searchParams.get('query')!);
    expect(errors).toBeUndefined();
    expect(data.discrepancies.edges[0].node.ratio).toBeCloseTo(8.4);
  });

  it('an unknown incident is a 404 page, a wrong ID a 400 page, a write a 405', async () => {
    const unknown = await fetch(`${gateway.url}${pagePath(Buffer.from('Incident:424242').toString('base64'))}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('No incident has this ID');
    const wrongType = await fetch(`${gateway.url}${pagePath(Buffer.from('Figure:1').toString('base64'))}`);
    expect(wrongType.status).toBe(400);
    expect(await wrongType.text()).toContain('this is the ID of a Figure');
    expect((await fetch(`${gateway.url}/incidents/x/y`)).status).toBe(404);
    expect((await fetch(`${gateway.url}/incidents?sort=ratio`)).status).toBe(400);
    expect((await fetch(`${gateway.url}/incidents`, { method: 'POST' })).status).toBe(405);
  });

  it('pages carry an ETag tied to the data and answer a revalidation with 304', async () => {
    const first = await fetch(`${gateway.url}/incidents`);
    expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const again = await fetch(`${gateway.url}/incidents`, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });
});
