// Bulk import (issue 10): NDJSON and ACLED CSV, over GraphQL and through the domain importer;
// every bad line reported by number and reason; re-imports create nothing; a kill -9 mid-import
// resumes to exactly one copy of every record; the CLI goes through a gateway holding the database.
import { finished, runScript, waitForLine } from './support/processes.js';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { openDatabase } from '../src/db/database.js';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import { databaseSink, importFile } from '../src/import/importer.js';
import { idByExternalId, startGateway, type TestGateway } from './support/gateway.js';
import { LOCAL_OPERATOR } from '../src/writes/session.js';

const CLAIMS = 'test/fixtures/import/claims.ndjson';
const ACLED = 'test/fixtures/import/acled.csv';
const embedded = inject('template').backend === 'pglite';

/** Row counts of every table an import writes, to compare before and after. */
async function counts(prisma: PrismaClient) {
  return {
    place: await prisma.place.count(),
    organisation: await prisma.organisation.count(),
    official: await prisma.official.count(),
    source: await prisma.source.count(),
    incident: await prisma.incident.count(),
    participant: await prisma.incidentParticipant.count(),
    statement: await prisma.statement.count(),
    statementSource: await prisma.statementSource.count(),
    figure: await prisma.figure.count(),
    change: await prisma.change.count(),
  };
}

async function post(gateway: TestGateway, secret: string, query: string, variables: object) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { message: string }[] };
}

const IMPORT = `mutation ($records: [String!]!, $format: ImportFormat!, $lineNumbers: [Int!]) {
  importRecords(records: $records, format: $format, lineNumbers: $lineNumbers) {
    __typename
    ... on ImportResult { records created alreadyPresent bad results { line status entityType externalId reason issues { field rule } } }
    ... on WriteError { message }
  }
}`;

/** The fixture's non-blank lines with their line numbers. */
function fixtureLines(path: string) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((text, n) => ({ text, line: n + 1 }))
    .filter((l) => l.text.trim() !== '');
}

describe('importRecords over GraphQL (a partner with a WRITE key)', () => {
  let gateway: TestGateway;
  let secret: string;
  let keyId: number;
  beforeAll(async () => {
    gateway = await startGateway();
    const created = await createApiKey(gateway.db.prisma, 'importer', ['WRITE']);
    secret = created.secret;
    keyId = created.key.id;
  });
  afterAll(() => gateway.close());

  it('commits the good records, reports every bad line with its number and reason, and creates nothing on a re-send', async () => {
    const lines = fixtureLines(CLAIMS);
    const variables = { records: lines.map((l) => l.text), lineNumbers: lines.map((l) => l.line), format: 'NDJSON' };
    const before = await counts(gateway.db.prisma);
    const first = await post(gateway, secret, IMPORT, variables);
    expect(first.errors).toBeUndefined();
    const result = first.data.importRecords;
    expect(result).toMatchObject({ __typename: 'ImportResult', records: 12, created: 10, alreadyPresent: 0, bad: 2 });
    const bad = result.results.filter((r: any) => r.status === 'BAD');
    expect(bad.map((r: any) => r.line)).toEqual([9, 11]);
    expect(bad[0].reason).toMatch(/is not valid JSON/);
    expect(bad[1].issues).toEqual([{ field: 'figures[0].quantity.high', rule: expect.stringMatching(/must be left out for AT_LEAST/) }]);
    expect(result.results.find((r: any) => r.line === 7)).toMatchObject({
      status: 'CREATED',
      entityType: 'Statement',
      externalId: 'import:statement:bla-turbat',
    });

    const after = await counts(gateway.db.prisma);
    expect(after.statement - before.statement).toBe(4);
    expect(after.figure - before.figure).toBe(4);
    // Every write is audited, with the partner's key as the actor.
    const changes = await gateway.db.prisma.change.findMany({ where: { id: { gt: 0 }, apiKeyId: keyId } });
    expect(changes.length).toBe(after.change - before.change);
    expect(new Set(changes.map((c) => c.entityType))).toEqual(new Set(['Place', 'Organisation', 'Source', 'Incident', 'Official', 'Statement', 'Figure']));

    const figure = await gateway.db.prisma.figure.findUniqueOrThrow({
      where: { id: await idByExternalId(gateway.db, 'Figure', 'import:figure:officials-turbat-killed') },
      include: { place: true },
    });
    expect(figure).toMatchObject({ quantityKind: 'AT_LEAST', low: 3, high: null, phrase: 'at least three' });
    expect(figure.place?.id).toBe(await idByExternalId(gateway.db, 'Place', 'import:place:turbat'));
    const bla = await gateway.db.prisma.statement.findUniqueOrThrow({
      where: { id: await idByExternalId(gateway.db, 'Statement', 'import:statement:bla-turbat') },
      include: { organisation: true },
    });
    expect(bla.organisation?.id).toBe(await idByExternalId(gateway.db, 'Organisation', 'seed:bla'));

    const again = await post(gateway, secret, IMPORT, variables);
    expect(again.data.importRecords).toMatchObject({ created: 0, alreadyPresent: 10, bad: 2 });
    expect(await counts(gateway.db.prisma)).toEqual(after);
  });

  it('refuses callers without the WRITE scope and batches above the limit, writing nothing', async () => {
    const before = await counts(gateway.db.prisma);
    const reader = await createApiKey(gateway.db.prisma, 'reader', ['READ']);
    const refused = await post(gateway, reader.secret, IMPORT, { records: ['{}'], format: 'NDJSON' });
    expect(refused.errors?.[0]?.message).toMatch(/WRITE/);
    const tooMany = await post(gateway, secret, IMPORT, { records: Array.from({ length: 501 }, () => '{}'), format: 'NDJSON' });
    expect(tooMany.data.importRecords).toMatchObject({ __typename: 'InvalidInput', message: expect.stringMatching(/at most 500 records/) });
    expect(await counts(gateway.db.prisma)).toEqual(before);
  });
});

describe('the domain importer', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());
  const sink = () => databaseSink(gateway.db.prisma, LOCAL_OPERATOR);

  it('imports the NDJSON fixture in batches, and a re-import creates nothing', async () => {
    const before = await counts(gateway.db.prisma);
    const summary = await importFile(sink(), CLAIMS, { format: 'ndjson', batchSize: 3 });
    expect(summary).toMatchObject({ records: 12, created: 10, alreadyPresent: 0, bad: 2, alreadyImported: false });
    expect(summary.badLines.map((b) => b.line)).toEqual([9, 11]);
    const after = await counts(gateway.db.prisma);
    expect(after.statement - before.statement).toBe(4);

    // The same file again: its checkpoint says it is done; checking every line creates nothing.
    expect(await importFile(sink(), CLAIMS, { format: 'ndjson', batchSize: 3 })).toMatchObject({ alreadyImported: true, created: 10, bad: 2 });
    const again = await importFile(sink(), CLAIMS, { format: 'ndjson', batchSize: 5, restart: true });
    expect(again).toMatchObject({ records: 12, created: 0, alreadyPresent: 10, bad: 2 });
    expect(again.badLines).toEqual(summary.badLines);
    expect(await counts(gateway.db.prisma)).toEqual(after);
  });

  it('maps the ACLED fixture to incidents, nested places, organisations, sources and one KILLED figure per event', async () => {
    const summary = await importFile(sink(), ACLED, { format: 'acled', batchSize: 4 });
    expect(summary).toMatchObject({ records: 9, created: 8, bad: 1 });
    expect(summary.badLines).toEqual([{ line: 8, reason: expect.stringMatching(/event_date: must be a day that exists.*fatalities: must be a whole number/) }]);

    const prisma = gateway.db.prisma;
    const incident = await prisma.incident.findUniqueOrThrow({
      where: { id: await idByExternalId(gateway.db, 'Incident', 'acled:PAK90001') },
      include: {
        places: { include: { place: { include: { parent: { include: { parent: { include: { parent: true } } } } } } } },
        participants: { include: { organisation: true } },
      },
    });
    expect(incident).toMatchObject({ kind: 'CLASH', datePrecision: 'DAY', title: 'Armed clash: Turbat, Kech' });
    expect(incident.startedAt?.toISOString()).toBe('2026-02-02T00:00:00.000Z');
    const turbat = incident.places[0]!.place;
    expect(turbat).toMatchObject({
      id: await idByExternalId(gateway.db, 'Place', 'acled-place:Pakistan/Balochistan/Kech/Turbat'),
      kind: 'CITY',
      latitude: 26.0023,
      longitude: 63.044,
    });
    expect([turbat.parent?.name, turbat.parent?.parent?.name, turbat.parent?.parent?.parent?.name]).toEqual(['Kech', 'Balochistan', 'Pakistan']);
    // "BLA: Baloch Liberation Army" is the seed's BLA; the military is created once for all events.
    expect(incident.participants.map((p) => [p.role, p.organisation?.id])).toEqual([
      ['PERPETRATOR', await idByExternalId(gateway.db, 'Organisation', 'seed:bla')],
      ['TARGET', await idByExternalId(gateway.db, 'Organisation', 'acled-actor:Military Forces of Pakistan (2018-)')],
    ]);
    expect(await prisma.organisation.count({ where: { name: 'Military Forces of Pakistan (2018-)' } })).toBe(1);

    const statement = await prisma.statement.findUniqueOrThrow({
      where: { id: await idByExternalId(gateway.db, 'Statement', 'acled:PAK90001:fatalities') },
      include: { organisation: true, figures: true, sources: { include: { source: true }, orderBy: { position: 'asc' } } },
    });
    expect(statement).toMatchObject({ kind: 'CASUALTY_REPORT', claimantKind: 'ORGANISATION', claimantAffiliation: 'INDEPENDENT' });
    expect(statement.organisation?.aliases).toContain('ACLED');
    expect(statement.text).toMatch(/coded estimate/);
    expect(statement.sources.map((s) => s.source.id)).toEqual([
      await idByExternalId(gateway.db, 'Source', 'acled:dataset'),
      await idByExternalId(gateway.db, 'Source', 'acled-source:Dawn; The Balochistan Post'),
    ]);
    expect(statement.figures).toEqual([
      expect.objectContaining({
        id: await idByExternalId(gateway.db, 'Figure', 'acled:PAK90001:fatalities:killed'),
        metric: 'KILLED',
        victimCategory: 'PEOPLE',
        side: 'UNSPECIFIED',
        quantityKind: 'EXACT',
        low: 9,
        high: 9,
        phrase: '9',
        incidentId: incident.id,
        placeId: turbat.id,
      }),
    ]);

    // Quoted commas, doubled quotes and a line break inside a quoted field survive.
    const abduction = await prisma.incident.findUniqueOrThrow({ where: { id: await idByExternalId(gateway.db, 'Incident', 'acled:PAK90003') } });
    expect(abduction).toMatchObject({ kind: 'ABDUCTION', datePrecision: 'WEEK' });
    expect(abduction.description).toContain('4 workers of a mining company near Nokkundi (Chagai). Reports say "several" more are missing.');
    const tump = await prisma.incident.findUniqueOrThrow({
      where: { id: await idByExternalId(gateway.db, 'Incident', 'acled:PAK90005') },
      include: { participants: true },
    });
    expect(tump.description).toContain('in Tump, Kech.\nFatalities per local police.');
    expect(tump.participants.map((p) => [p.role, p.organisationId])).toEqual([
      ['PERPETRATOR', null],
      ['VICTIM', null],
    ]);
    expect((await prisma.incident.findUniqueOrThrow({ where: { id: await idByExternalId(gateway.db, 'Incident', 'acled:PAK90007') } })).datePrecision).toBe(
      'MONTH',
    );
    // Line numbers count physical lines: PAK90005 spans lines 6-7, so the bad row is line 8.
    expect(await prisma.externalId.count({ where: { entityType: 'Place', externalId: 'acled-place:Pakistan/Balochistan' } })).toBe(1);

    const before = await counts(prisma);
    expect(await importFile(sink(), ACLED, { format: 'acled', batchSize: 4, restart: true })).toMatchObject({ created: 0, alreadyPresent: 8, bad: 1 });
    expect(await counts(prisma)).toEqual(before);
  });
});

// ---- The command line, against file-backed embedded databases (PGlite only) ----

const dir = mkdtempSync(join(tmpdir(), 'gateway-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], env: Record<string, string>) => runScript('src/cli/import.ts', args, env);

function generate(path: string, n: number, prefix: string) {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(
      JSON.stringify({
        externalId: `${prefix}:${i}`,
        kind: 'CASUALTY_REPORT',
        claimant: { kind: 'UNNAMED_GROUP', description: 'local officials', affiliation: 'STATE' },
        madeAt: '2026-03-01',
        text: `Officials said ${i % 50} people were killed (record ${i}).`,
        figures: [
          {
            externalId: `${prefix}:${i}:killed`,
            metric: 'KILLED',
            victimCategory: 'PEOPLE',
            side: 'UNSPECIFIED',
            victimDescription: 'people',
            quantity: { kind: 'EXACT', low: i % 50, high: i % 50, phrase: String(i % 50) },
          },
        ],
      }),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe.skipIf(!embedded)('npm run import (the command line)', () => {
  it('survives kill -9 halfway: the re-run finishes the file with exactly one copy of every record', async () => {
    const dataDir = join(dir, 'killed');
    const file = join(dir, 'bulk.ndjson');
    const total = 1_000;
    const batch = 25;
    generate(file, total, 'bulk');
    const env = { DATABASE_URL: `file:${dataDir}` };

    const first = cli([file, '--batch', String(batch)], env);
    await new Promise<void>((progressed, failed) => {
      let output = '';
      first.stdout!.on('data', (chunk: Buffer) => {
        output += chunk;
        const lines = [...output.matchAll(/progress: .*?line ([\d,]+)/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
        if (Math.max(0, ...lines) >= 100) progressed();
      });
      first.stderr!.on('data', (chunk: Buffer) => (output += chunk));
      first.once('exit', (code) => failed(new Error(`exited with ${code} before making progress:\n${output}`)));
    });
    first.kill('SIGKILL');
    await new Promise((exited) => first.once('exit', exited));

    // What survived: whole batches only, and exactly what the checkpoint says was committed.
    let db = await openDatabase({ kind: 'pglite', dataDir });
    const survived = await db.prisma.externalId.count({ where: { entityType: 'Statement', externalId: { startsWith: 'bulk:' } } });
    const run = await db.prisma.importRun.findFirstOrThrow();
    await db.close();
    expect(survived).toBeGreaterThanOrEqual(100);
    expect(survived).toBeLessThan(total);
    expect(survived % batch).toBe(0);
    expect(run.records).toBe(survived);
    expect(run.finishedAt).toBeNull();

    const second = await finished(cli([file, '--batch', String(batch)], env));
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain(`Resumed after line ${run.lastLine.toLocaleString('en-GB')}`);
    expect(second.output).toContain(
      `Records: ${total.toLocaleString('en-GB')} — created ${total.toLocaleString('en-GB')}, changed 0, already present 0, bad 0`,
    );

    db = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const statements = await db.prisma.externalId.findMany({
        where: { entityType: 'Statement', externalId: { startsWith: 'bulk:' } },
        select: { entityId: true },
      });
      expect(statements.length).toBe(total);
      expect(await db.prisma.statement.count({ where: { id: { in: statements.map((s) => s.entityId) } } })).toBe(total);
      expect(await db.prisma.externalId.count({ where: { entityType: 'Figure', externalId: { startsWith: 'bulk:' } } })).toBe(total);
      expect(await db.prisma.change.count({ where: { entityType: 'Statement', operation: 'CREATE' } })).toBe(total);
    } finally {
      await db.close();
    }
  }, 240_000);

  it('imports through the running gateway while it holds the embedded database', async () => {
    const dataDir = join(dir, 'served');
    const env = { DATABASE_URL: `file:${dataDir}`, PORT: '0', HOST: '127.0.0.1' };
    const server = runScript('src/server.ts', [], env);
    try {
      await waitForLine(server, /GraphQL gateway on http:\/\/localhost:\d+\/graphql/);
      const announced = `${dataDir}.gateway.json`;
      for (let waited = 0; !existsSync(announced) && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      const { url } = JSON.parse(readFileSync(announced, 'utf8')) as { url: string };

      const result = await finished(cli([CLAIMS, '--batch', '4'], env));
      expect(result.code, result.output).toBe(2);
      expect(result.output).toContain(`through the running gateway at ${url}`);
      expect(result.output).toContain('created 10, changed 0, already present 0, bad 2');
      expect(result.output).toMatch(/line 9: \(line\): is not valid JSON/);
      expect(result.output).toMatch(/line 11: figures\[0\]\.quantity\.high: must be left out for AT_LEAST/);

      const again = await finished(cli([CLAIMS, '--restart'], env));
      expect(again.output).toContain('created 0, changed 0, already present 10, bad 2');

      const answer = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ statements(filter: { kinds: [RESPONSIBILITY_CLAIM] }) { edges { node { text } } } }' }),
      }).then((r) => r.json() as Promise<any>);
      expect(answer.data.statements.edges.map((e: any) => e.node.text)).toContain('The BLA said its fighters killed seven soldiers at the checkpost.');
    } finally {
      server.kill('SIGTERM');
      await new Promise((exited) => server.once('exit', exited));
    }
  }, 120_000);
});
