// Figures and statements as CSV and NDJSON over HTTP: the same filters as GraphQL, the words as
// said, RFC 4180 quoting, protection against spreadsheet formulas, and a streamed walk over the
// database that costs a fixed number of SQL statements per batch.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { withSqlStatementLog, type SqlStatementLog } from '../src/db/sql-statements.js';
import { csvLine, DEFAULT_BATCH_SIZE, type Column } from '../src/export/export.js';
import { createGateway } from '../src/http/gateway.js';
import { startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
// A second HTTP server over the same database that runs each request inside an SQL statement
// log (exports stream, so the count cannot travel in the response itself).
let counted: { url: string; server: Server; last: SqlStatementLog };

beforeAll(async () => {
  gateway = await startGateway();
  const yoga = createGateway(gateway.db, { ...loadConfig({}), reportSqlStatements: false });
  const server = createServer((req, res) => {
    const log: SqlStatementLog = { count: 0, statements: [] };
    counted.last = log;
    withSqlStatementLog(log, () => yoga(req, res));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  counted = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, last: { count: 0, statements: [] } };
});
afterAll(async () => {
  counted.server.closeAllConnections();
  await new Promise((closed) => counted.server.close(closed));
  await gateway.close();
});

/** RFC 4180 parser: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else if (c === '\n') throw new Error(`bare LF outside quotes at ${i}`);
    else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('last line does not end with CRLF');
  return rows;
}

async function csv(path: string, base = gateway.url): Promise<Record<string, string>[]> {
  const response = await fetch(`${base}${path}`);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const [header, ...rows] = parseCsv(await response.text());
  return rows.map((row) => {
    expect(row).toHaveLength(header!.length);
    return Object.fromEntries(header!.map((name, i) => [name, row[i]!]));
  });
}

async function ndjson(path: string): Promise<Record<string, any>[]> {
  const response = await fetch(`${gateway.url}${path}`);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/x-ndjson');
  const text = await response.text();
  expect(text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

const sortedIds = (rows: { id: string }[]) => rows.map((row) => row.id).sort();

async function graphqlFigureIds(filter: Record<string, unknown>): Promise<string[]> {
  const { figures } = await gateway.data(`query($f: FigureFilter) { figures(first: 100, filter: $f) { edges { node { id } } } }`, { f: filter });
  return figures.edges.map((edge: any) => edge.node.id).sort();
}

async function placeId(name: string): Promise<string> {
  const { places } = await gateway.data(`{ places(first: 100) { edges { node { id name } } } }`);
  return places.edges.find((edge: any) => edge.node.name === name).node.id;
}

describe('the seed figures', () => {
  it('exports all nine as CSV, the words as said', async () => {
    const response = await fetch(`${gateway.url}/export/figures.csv`);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="figures.csv"');
    const rows = await csv('/export/figures.csv');
    expect(rows).toHaveLength(9);
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining([
        'id',
        'metric',
        'victim_category',
        'side',
        'victim_description',
        'quantity_kind',
        'low',
        'high',
        'phrase',
        'is_current',
        'supersedes_id',
        'incident_id',
        'incident_title',
        'place_name',
        'claimant_kind',
        'claimant_name',
        'statement_id',
        'statement_kind',
        'made_at',
        'made_at_precision',
        'verification',
        'source_chain',
        'breakdown',
        'retracted_at',
      ]),
    );
    const byPhrase = Object.fromEntries(rows.map((row) => [row.phrase, row]));

    expect(byPhrase['at least 67']).toMatchObject({
      quantity_kind: 'AT_LEAST',
      low: '67',
      high: '',
      side: 'NON_STATE_ARMED_GROUP',
      claimant_kind: 'UNNAMED_GROUP',
      claimant_name: 'security officials',
      made_at: '2026-01-31T00:00:00.000Z',
      made_at_precision: 'DAY',
      is_current: 'true',
      source_chain: '67 militants killed in coordinated attacks in Pakistan’s Balochistan > Reuters report cited by The Indian Express',
      place_name: 'Balochistan',
    });
    expect(byPhrase['dozens']).toMatchObject({ quantity_kind: 'UNQUANTIFIED', low: '', high: '', claimant_name: 'Mohsin Naqvi', claimant_kind: 'OFFICIAL' });
    expect(byPhrase['84']).toMatchObject({ claimant_name: 'Baloch Liberation Army', side: 'STATE_FORCES', statement_kind: 'RESPONSIBILITY_CLAIM' });

    const eleven = byPhrase['11 people']!;
    const five = byPhrase['five']!;
    expect(eleven).toMatchObject({
      low: '11',
      high: '11',
      breakdown: 'men=5; women=3; children=3',
      is_current: 'true',
      supersedes_id: five.id,
      claimant_name: 'Atta-ur-Rehman',
      place_name: 'Gwadar',
      retracted_at: '',
    });
    expect(five).toMatchObject({ is_current: 'false', superseded_by_id: eleven.id, supersedes_id: '', breakdown: '' });
    expect(eleven.incident_title).not.toBe('');

    // The same IDs GraphQL hands out.
    expect(sortedIds(rows as { id: string }[])).toEqual(await graphqlFigureIds({}));
    const { node } = await gateway.data(`query($id: ID!) { node(id: $id) { ... on Figure { quantity { phrase } statement { id } } } }`, { id: eleven.id });
    expect(node).toEqual({ quantity: { phrase: '11 people' }, statement: { id: eleven.statement_id } });
  });

  it('exports the same as NDJSON: numbers as numbers, nulls as null, same field names', async () => {
    const csvRows = await csv('/export/figures.csv');
    const rows = await ndjson('/export/figures.ndjson');
    expect(rows).toHaveLength(9);
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(csvRows[0]!));
    const byPhrase = Object.fromEntries(rows.map((row) => [row.phrase, row]));
    expect(byPhrase['at least 67']).toMatchObject({ low: 67, high: null, quantity_kind: 'AT_LEAST', is_current: true });
    expect(byPhrase['dozens']).toMatchObject({ low: null, high: null });
    expect(byPhrase['11 people']).toMatchObject({ low: 11, high: 11, breakdown: 'men=5; women=3; children=3', supersedes_id: byPhrase['five']!.id });
    expect(byPhrase['five']).toMatchObject({ is_current: false, breakdown: null, retracted_at: null });
  });

  it('starts a CSV with the UTF-8 byte-order mark (EF BB BF) only when asked with bom=true, for Excel', async () => {
    const bytes = async (path: string) => new Uint8Array(await (await fetch(`${gateway.url}${path}`)).arrayBuffer());
    const [plain, marked, figures, off] = await Promise.all(
      ['/export/statements.csv', '/export/statements.csv?bom=true', '/export/figures.csv?bom=true&metrics=KILLED', '/export/figures.csv?bom=false'].map(bytes),
    );
    for (const file of [plain, off]) expect([...file.subarray(0, 3)]).toEqual([...new TextEncoder().encode('id,')]);
    for (const file of [marked, figures]) expect([...file.subarray(0, 6)]).toEqual([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('id,')]);
    // The rest is the same file, "Pakistan’s" in UTF-8 either way.
    expect(marked.subarray(3)).toEqual(plain);
    expect(new TextDecoder().decode(marked)).toContain('Pakistan’s');
    // NDJSON never has one; a bad value is named like any parameter.
    expect((await fetch(`${gateway.url}/export/figures.ndjson?bom=true`)).status).toBe(400);
    expect(((await (await fetch(`${gateway.url}/export/figures.csv?bom=yes`)).json()) as any).errors[0]).toMatchObject({ parameter: 'bom' });
  });

  it('answers HEAD with the headers and no rows', async () => {
    const response = await fetch(`${gateway.url}/export/statements.ndjson`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="statements.ndjson"');
  });
});

describe('filters, as in GraphQL', () => {
  it('narrows by metric and side', async () => {
    const rows = await csv('/export/figures.csv?metrics=KILLED&sides=STATE_FORCES');
    expect(rows.map((row) => `${row.claimant_name}: ${row.phrase}`).sort()).toEqual(['Baloch Liberation Army: 84', 'security officials: some 10']);
    const several = await ndjson('/export/figures.ndjson?sides=STATE_FORCES,CIVILIAN&sides=UNSPECIFIED');
    expect(sortedIds(several as { id: string }[])).toEqual(await graphqlFigureIds({ sides: ['STATE_FORCES', 'CIVILIAN', 'UNSPECIFIED'] }));
  });

  it('narrows by place, the places inside it included', async () => {
    const gwadar = await placeId('Gwadar');
    const balochistan = await placeId('Balochistan');
    const inGwadar = await csv(`/export/figures.csv?place=${encodeURIComponent(gwadar)}`);
    expect(inGwadar.map((row) => row.phrase).sort()).toEqual(['11 people', 'five', 'six']);
    const inBalochistan = await ndjson(`/export/figures.ndjson?place=${encodeURIComponent(balochistan)}`);
    expect(inBalochistan.length).toBeGreaterThan(inGwadar.length);
    expect(sortedIds(inBalochistan as { id: string }[])).toEqual(await graphqlFigureIds({ place: balochistan }));
  });

  it('lists only the superseded five with current=false, and the rest with current=true', async () => {
    const superseded = await csv('/export/figures.csv?current=false');
    expect(superseded.map((row) => [row.phrase, row.low, row.is_current])).toEqual([['five', '5', 'false']]);
    const standing = await ndjson('/export/figures.ndjson?current=true');
    expect(standing).toHaveLength(8);
    expect(standing.every((row) => row.is_current)).toBe(true);
  });

  it('answers as the record stood at asOf, and by claim dates', async () => {
    const before = await csv('/export/figures.csv?asOf=2026-01-30T12:00:00Z');
    expect(before.map((row) => row.phrase)).toEqual(['41']);
    const between = await ndjson('/export/figures.ndjson?claimedBetween.from=2026-01-31&claimedBetween.to=2026-01-31&current=true&asOf=2026-01-31T12:00:00Z');
    expect(sortedIds(between as { id: string }[])).toEqual(
      await graphqlFigureIds({ claimedBetween: { from: '2026-01-31', to: '2026-01-31' }, current: true, asOf: '2026-01-31T12:00:00Z' }),
    );
    expect(between.map((row) => row.phrase)).not.toContain('41');
    expect(between.map((row) => row.phrase)).not.toContain('five');
  });

  it('narrows by incident, its sub-incidents included', async () => {
    const { incidents } = await gateway.data(`{ incidents(filter: { kinds: [COORDINATED_ATTACK] }) { edges { node { id } } } }`);
    const attack = incidents.edges[0].node.id;
    const rows = await csv(`/export/figures.csv?incident=${encodeURIComponent(attack)}`);
    expect(rows.map((row) => row.phrase)).toEqual(expect.arrayContaining(['at least 67', '11 people', 'six']));
    expect(sortedIds(rows as { id: string }[])).toEqual(await graphqlFigureIds({ incident: attack }));
  });
});

describe('statements', () => {
  it('exports statements with their claimant, sources and incidents', async () => {
    const rows = await csv('/export/statements.csv');
    const { statements } = await gateway.data(`{ statements(first: 100) { totalCount edges { node { id } } } }`);
    expect(rows).toHaveLength(statements.totalCount);
    expect(sortedIds(rows as { id: string }[])).toEqual(statements.edges.map((edge: any) => edge.node.id).sort());

    const unverified = await ndjson('/export/statements.ndjson?verification=UNVERIFIED');
    expect(unverified).toHaveLength(1);
    expect(unverified[0]).toMatchObject({
      kind: 'HOSTAGE_MESSAGE',
      claimant_kind: 'OFFICIAL',
      verification: 'UNVERIFIED',
      verified_by: 'Reuters',
      figure_count: 0,
      is_direct_quote: false,
    });
    expect(unverified[0]!.source_chain.split(' > ')).toHaveLength(3);
    expect(unverified[0]!.verification_note).toContain('could not independently verify');

    const casualty = await csv('/export/statements.csv?kinds=CASUALTY_REPORT&claimantKinds=UNNAMED_GROUP');
    const officials = casualty.find((row) => row.claimant_name === 'security officials')!;
    expect(officials).toMatchObject({ figure_count: '3', made_at: '2026-01-31T00:00:00.000Z' });
    expect(officials.incident_titles).not.toBe('');
  });
});

describe('bad parameters', () => {
  async function rejected(path: string) {
    const response = await fetch(`${gateway.url}${path}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return ((await response.json()) as { errors: { parameter: string; rule: string; message: string }[] }).errors;
  }

  it('names an unknown parameter', async () => {
    const [error] = await rejected('/export/figures.csv?metric=KILLED');
    expect(error).toMatchObject({ parameter: 'metric' });
    expect(error!.rule).toMatch(/unknown parameter.*metrics/);
    // A statement filter has no metrics.
    expect((await rejected('/export/statements.ndjson?metrics=KILLED'))[0]).toMatchObject({ parameter: 'metrics' });
  });

  it('names a bad enum value, a bad date, a bad boolean, each at once', async () => {
    const errors = await rejected('/export/figures.ndjson?metrics=KILLED,KILLLED&asOf=2026-02-30&claimedBetween.from=31/01/2026&current=yes');
    expect(errors.map((error) => error.parameter).sort()).toEqual(['asOf', 'claimedBetween.from', 'current', 'metrics']);
    expect(errors.find((error) => error.parameter === 'metrics')!.rule).toContain('KILLED, INJURED');
    expect(errors.find((error) => error.parameter === 'asOf')!.message).toMatch(/2026-02-30 does not.*got "2026-02-30"/);
  });

  it('names an ID of the wrong type, and one that is no ID', async () => {
    const { organisations } = await gateway.data(`{ organisations(first: 1) { edges { node { id } } } }`);
    const [wrongType] = await rejected(`/export/figures.csv?place=${encodeURIComponent(organisations.edges[0].node.id)}`);
    expect(wrongType).toMatchObject({ parameter: 'place' });
    expect(wrongType!.rule).toBe('must be the ID of a Place; this is the ID of an Organisation');
    const [garbage] = await rejected('/export/statements.csv?incident=not-an-id');
    expect(garbage).toMatchObject({ parameter: 'incident' });
  });

  it('refuses a scalar given twice, and unknown export paths', async () => {
    expect((await rejected('/export/figures.csv?current=true&current=false'))[0]).toMatchObject({ parameter: 'current' });
    expect((await fetch(`${gateway.url}/export/figures.xlsx`)).status).toBe(404);
    expect((await fetch(`${gateway.url}/export/figures.csv`, { method: 'POST' })).status).toBe(405);
  });
});

describe('CSV escaping and formula protection', () => {
  it('round-trips a phrase with a comma, a quote and a line break; neutralises a leading "="', async () => {
    const prisma = gateway.db.prisma;
    const phrase = 'about 5, "maybe\r\nmore"';
    const statement = await prisma.statement.create({
      data: {
        kind: 'CASUALTY_REPORT',
        claimantKind: 'UNNAMED_PERSON',
        claimantDescription: '=HYPERLINK("http://example.invalid","click")',
        text: '-1 is not a number here',
        madeAt: new Date('2026-03-01T00:00:00Z'),
        figures: {
          create: {
            metric: 'MISSING',
            victimCategory: 'PEOPLE',
            side: 'UNSPECIFIED',
            victimDescription: '+people, "missing"',
            quantityKind: 'APPROXIMATE',
            low: 5,
            high: 5,
            phrase,
          },
        },
      },
    });
    const [row] = await csv('/export/figures.csv?metrics=MISSING');
    expect(row).toMatchObject({
      phrase,
      low: '5',
      high: '5',
      claimant_name: `'=HYPERLINK("http://example.invalid","click")`,
      victim_description: `'+people, "missing"`,
    });
    // NDJSON is for programs: the words untouched.
    const [line] = await ndjson('/export/figures.ndjson?metrics=MISSING');
    expect(line).toMatchObject({ phrase, claimant_name: '=HYPERLINK("http://example.invalid","click")', low: 5 });
    const statements = await csv(`/export/statements.csv?madeBetween.from=2026-03-01`);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.text).toBe("'-1 is not a number here");
    await prisma.statement.delete({ where: { id: statement.id } });
  });

  it('never prefixes a number column, negative numbers included', () => {
    const columns = [
      { name: 'delta', type: 'integer', description: '', value: () => -3 },
      { name: 'note', type: 'text', description: '', value: () => '-3' },
    ] satisfies Column<unknown>[];
    expect(csvLine(columns as Column<never>[], { delta: -3, note: '-3' })).toBe(`-3,'-3\r\n`);
  });
});

describe('streaming a large export', () => {
  const FIGURES = 1200;
  beforeAll(async () => {
    const prisma = gateway.db.prisma;
    const place = await prisma.place.create({ data: { name: 'Export district', kind: 'DISTRICT' } });
    const incident = await prisma.incident.create({ data: { title: 'Export fixture incident', kind: 'CLASH', places: { create: { placeId: place.id } } } });
    const org = await prisma.organisation.create({ data: { name: 'Export monitor', kind: 'NGO' } });
    const official = await prisma.official.create({ data: { name: 'Export Official' } });
    const source = await prisma.source.create({ data: { description: 'Export bulletin', kind: 'OTHER', publisherId: org.id } });
    const claimants = [
      { claimantKind: 'ORGANISATION', organisationId: org.id, claimantDescription: 'the monitor' },
      { claimantKind: 'OFFICIAL', officialId: official.id, claimantDescription: 'an official' },
      { claimantKind: 'UNNAMED_GROUP', claimantDescription: 'residents' },
    ] as const;
    const statementIds: number[] = [];
    for (const claimant of claimants) {
      const statement = await prisma.statement.create({
        data: {
          kind: 'CASUALTY_REPORT',
          ...claimant,
          text: 'Displaced families',
          madeAt: new Date('2026-02-01T00:00:00Z'),
          sources: { create: [{ position: 0, sourceId: source.id }] },
          incidents: { create: { incidentId: incident.id } },
        },
      });
      statementIds.push(statement.id);
    }
    await prisma.figure.createMany({
      data: Array.from({ length: FIGURES }, (_, n) => ({
        statementId: statementIds[n % 3]!,
        metric: 'DISPLACED' as const,
        victimCategory: 'CIVILIANS' as const,
        side: 'CIVILIAN' as const,
        victimDescription: 'families',
        quantityKind: 'EXACT' as const,
        low: n,
        high: n,
        phrase: `${n}`,
        incidentId: incident.id,
        placeId: n % 2 ? place.id : null,
      })),
    });
    const figures = await prisma.figure.findMany({ where: { metric: 'DISPLACED' }, select: { id: true } });
    await prisma.figureBreakdownItem.createMany({
      data: figures.flatMap((figure) => [
        { figureId: figure.id, label: 'adults', count: 1, position: 0 },
        { figureId: figure.id, label: 'children', count: 2, position: 1 },
      ]),
    });
  });

  const figureQueries = (log: SqlStatementLog) =>
    log.statements.filter((sql) => /^SELECT .* FROM "public"\."Figure" .*"public"\."Figure"\."id" > .* LIMIT/s.test(sql)).length;

  it(`streams ${FIGURES} figures in batches of ${DEFAULT_BATCH_SIZE}, every row, a fixed SQL cost per batch`, async () => {
    const small = await csv('/export/figures.csv?metrics=KILLED', counted.url);
    const smallLog = counted.last;
    expect(small.length).toBeLessThan(DEFAULT_BATCH_SIZE);
    expect(figureQueries(smallLog)).toBe(1);

    const response = await fetch(`${counted.url}/export/figures.ndjson?metrics=DISPLACED`);
    expect(response.status).toBe(200);
    // Read it as it arrives.
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      text += decoder.decode(value, { stream: true });
    }
    const bigLog = counted.last;
    const rows = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(rows).toHaveLength(FIGURES);
    expect(new Set(rows.map((row) => row.id)).size).toBe(FIGURES);
    expect(rows.map((row) => row.low)).toEqual(Array.from({ length: FIGURES }, (_, n) => n));
    expect(rows[1]).toMatchObject({
      breakdown: 'adults=1; children=2',
      place_name: 'Export district',
      source_chain: 'Export bulletin',
      incident_title: 'Export fixture incident',
    });
    expect(new Set(rows.map((row) => row.claimant_name))).toEqual(new Set(['Export monitor', 'Export Official', 'residents']));
    expect(chunks).toBeGreaterThanOrEqual(3);

    const batches = Math.ceil(FIGURES / DEFAULT_BATCH_SIZE); // 500 + 500 + 200
    expect(figureQueries(bigLog)).toBe(batches);
    // Per batch: the page of figures plus one statement per relation level. The one-batch export
    // of the seed costs the same per batch (beyond the one-off max-id query).
    const perBatch = smallLog.count - 1;
    expect(perBatch).toBeLessThanOrEqual(12);
    expect(bigLog.count).toBe(1 + batches * perBatch);
    console.log(
      `export SQL statements: ${smallLog.count} for ${small.length} rows (1 batch), ${bigLog.count} for ${FIGURES} rows (${batches} batches); ${chunks} chunks read`,
    );
  });

  it('stops cleanly when the client goes away mid-export', async () => {
    const aborted = new AbortController();
    const response = await fetch(`${gateway.url}/export/figures.csv?metrics=DISPLACED`, { signal: aborted.signal });
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    aborted.abort();
    await expect(reader.read()).rejects.toThrow();
    expect((await fetch(`${gateway.url}/ready`)).status).toBe(200);
    expect(await ndjson('/export/figures.ndjson?current=false')).toHaveLength(1);
  });

  it('streams the same rows as CSV', async () => {
    const rows = await csv('/export/figures.csv?metrics=DISPLACED&place=' + encodeURIComponent(await placeId('Export district')));
    expect(rows).toHaveLength(FIGURES); // half by their own place, half by their incident's place
  });
});
