// The synthetic dataset (`npm run db:synth`): the same seed gives the same rows, the shares are
// the documented ones, and the data keeps the rules real data keeps (the CHECK constraints
// would refuse a bad quantity or claimant outright; the rest is asserted here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.js';
import { SynthAlreadyPresentError, synthesise, type SynthResult } from '../src/synth/synth.js';
import type { Database } from '../src/db/database.js';
import { openTestDatabase } from './support/gateway.js';

const FIGURES = 2_000;
const SEED = 7;
const TABLES = [
  'Place',
  'Organisation',
  'Official',
  'OfficialRole',
  'Incident',
  'IncidentPlace',
  'IncidentParticipant',
  'Source',
  'Statement',
  'StatementIncident',
  'StatementSource',
  'Figure',
  'FigureBreakdownItem',
];

/** md5 of every row of every table the synthesiser writes, in a fixed order. */
async function fingerprint(db: Database): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const [row] = await db.prisma.$queryRaw<{ md5: string }[]>`
      SELECT md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) AS md5 FROM ${Prisma.raw(`"${table}"`)} t`;
    result[table] = row!.md5;
  }
  return result;
}

const opened: { db: Database; drop: () => Promise<void> }[] = [];
let db: Database;
let first: SynthResult;
let changesBefore: number;
const changeCount = async () => (await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Change"`)[0]!.n;
beforeAll(async () => {
  for (let i = 0; i < 2; i++) opened.push(await openTestDatabase());
  db = opened[0]!.db;
  changesBefore = await changeCount();
  first = await synthesise(db.prisma, { figures: FIGURES, seed: SEED, chunkSize: 700 });
});
afterAll(async () => {
  for (const { db, drop } of opened) {
    await db.close();
    await drop();
  }
});

/** Rows of `table` (as `alias`) that this seed synthesised: their external IDs are the local operator's `synth-<seed>-…`. */
const synthetic = (table: string, alias?: string) =>
  Prisma.sql`${Prisma.raw(alias ? `${alias}.id` : 'id')} IN (SELECT "entityId" FROM "ExternalId" WHERE "ownerId" = 0 AND "entityType" = ${table} AND "externalId" LIKE ${`synth-${SEED}-%`})`;

const share = async (sql: Prisma.Sql) => {
  const [row] = await db.prisma.$queryRaw<{ share: number }[]>(sql);
  return Number(row!.share);
};

describe('db:synth', () => {
  it('writes the sizes derived from --figures', () => {
    expect(first.counts.Figure).toBe(FIGURES);
    expect(first.counts.Statement).toBe(Math.round(FIGURES / 1.8));
    expect(first.counts.Incident).toBe(Math.round(Math.round(FIGURES / 1.8) / 3.5));
    expect(first.counts.Place).toBe(469);
    expect(first.counts.Organisation).toBe(300);
    expect(first.counts.StatementIncident).toBe(first.counts.Statement);
  });

  it('gives identical rows for the same seed on a fresh copy, and other rows for another seed', async () => {
    const second = opened[1]!.db;
    // A different chunk size must not change the content.
    await synthesise(second.prisma, { figures: FIGURES, seed: SEED, chunkSize: 5_000 });
    expect(await fingerprint(second)).toEqual(await fingerprint(db));
    // Running the same seed twice on one database is refused, not duplicated.
    await expect(synthesise(second.prisma, { figures: FIGURES, seed: SEED })).rejects.toBeInstanceOf(SynthAlreadyPresentError);
    const before = await fingerprint(second);
    await synthesise(second.prisma, { figures: 100, seed: SEED + 1 });
    expect((await fingerprint(second)).Figure).not.toBe(before.Figure);
  });

  it('keeps the documented shares of quantity kinds', async () => {
    const rows = await db.prisma.$queryRaw<{ kind: string; share: number }[]>`
      SELECT "quantityKind"::text AS kind, count(*)::float / ${FIGURES} AS share
      FROM "Figure" WHERE ${synthetic('Figure')} GROUP BY 1`;
    const shares = Object.fromEntries(rows.map((r) => [r.kind, Number(r.share)]));
    const expected = { EXACT: 0.55, AT_LEAST: 0.15, APPROXIMATE: 0.12, RANGE: 0.08, UNQUANTIFIED: 0.07, AT_MOST: 0.03 };
    for (const [kind, target] of Object.entries(expected)) expect(shares[kind], kind).toBeCloseTo(target, 1);
    // Vague words stay words: no number is invented for "dozens".
    const [vague] = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "Figure" WHERE "quantityKind" = 'UNQUANTIFIED' AND "phrase" !~ '^(dozens|scores|many|several|a number of|some)$'`;
    expect(vague!.n).toBe(0);
  });

  it('nests about a fifth of incidents in campaigns, one level deep, parts dated within their campaign', async () => {
    const parts = await share(Prisma.sql`SELECT avg(("parentId" IS NOT NULL)::int)::float AS share FROM "Incident" WHERE ${synthetic('Incident')}`);
    expect(parts).toBeGreaterThan(0.17);
    expect(parts).toBeLessThan(0.23);
    const [bad] = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "Incident" c JOIN "Incident" p ON p.id = c."parentId"
      WHERE ${synthetic('Incident', 'c')}
        AND (p."parentId" IS NOT NULL OR c."startedAt" < p."startedAt" OR c."startedAt" > coalesce(p."endedAt", p."startedAt"))`;
    expect(bad!.n).toBe(0);
  });

  it('revises about 8% of figures, each revision later than what it replaces, by the same claimant, for the same incident, metric and side', async () => {
    const superseded = await share(
      Prisma.sql`SELECT count(*)::float / ${FIGURES} AS share FROM "Figure" WHERE "supersedesId" IS NOT NULL AND ${synthetic('Figure')}`,
    );
    expect(superseded).toBeGreaterThan(0.05);
    expect(superseded).toBeLessThan(0.11);
    const [bad] = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n
      FROM "Figure" f JOIN "Figure" old ON old.id = f."supersedesId"
      JOIN "Statement" s ON s.id = f."statementId" JOIN "Statement" olds ON olds.id = old."statementId"
      WHERE ${synthetic('Figure', 'f')}
        AND (s."madeAt" <= olds."madeAt" OR old.id >= f.id
          OR f.metric <> old.metric OR f.side <> old.side OR f."incidentId" <> old."incidentId"
          OR s."claimantKind" <> olds."claimantKind" OR s."claimantDescription" <> olds."claimantDescription")`;
    expect(bad!.n).toBe(0);
  });

  it('retracts about 1% of figures, always with a reason; assessed statements name their verifier', async () => {
    const retracted = await share(
      Prisma.sql`SELECT count(*)::float / ${FIGURES} AS share FROM "Figure" WHERE "retractedAt" IS NOT NULL AND ${synthetic('Figure')}`,
    );
    expect(retracted).toBeGreaterThan(0.003);
    expect(retracted).toBeLessThan(0.025);
    const [bad] = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT (SELECT count(*) FROM "Figure" WHERE ("retractedAt" IS NULL) <> ("retractionReason" IS NULL))
           + (SELECT count(*) FROM "Statement" WHERE ("retractedAt" IS NULL) <> ("retractionReason" IS NULL))
           + (SELECT count(*) FROM "Statement" WHERE ${synthetic('Statement')}
                AND ("verification" = 'NOT_ASSESSED') <> ("verifiedById" IS NULL)) AS n`;
    expect(Number(bad!.n)).toBe(0);
  });

  it('gives every statement an incident, 1–3 figures and a source chain of 1–3 starting at position 0', async () => {
    const [row] = await db.prisma.$queryRaw<{ bad: number; claimants: number; affiliations: number }[]>`
      WITH s AS (
        SELECT s.id,
          (SELECT count(*) FROM "Figure" f WHERE f."statementId" = s.id) AS figures,
          (SELECT count(*) FROM "StatementIncident" si WHERE si."statementId" = s.id) AS incidents,
          (SELECT array_agg(position ORDER BY position) FROM "StatementSource" ss WHERE ss."statementId" = s.id) AS chain
        FROM "Statement" s WHERE ${synthetic('Statement', 's')})
      SELECT count(*) FILTER (WHERE figures NOT BETWEEN 1 AND 3 OR incidents <> 1
               OR chain NOT IN (ARRAY[0], ARRAY[0, 1], ARRAY[0, 1, 2]))::int AS bad,
        (SELECT count(DISTINCT "claimantKind") FROM "Statement" WHERE ${synthetic('Statement')})::int AS claimants,
        (SELECT count(DISTINCT "claimantAffiliation") FROM "Statement" WHERE ${synthetic('Statement')})::int AS affiliations
      FROM s`;
    expect(row).toEqual({ bad: 0, claimants: 4, affiliations: 3 });
  });

  it('leaves the audit trail alone and moves the id sequences past the written rows', async () => {
    expect(await changeCount()).toBe(changesBefore);
    const place = await db.prisma.place.create({ data: { name: 'After synthesis', kind: 'SITE' } });
    const [max] = await db.prisma.$queryRaw<{ m: number }[]>`SELECT max(id)::int AS m FROM "Place" WHERE id <> ${place.id}`;
    expect(place.id).toBeGreaterThan(max!.m);
  });
});
