// The GiST index on incident periods (migration incident_period) narrows the overlap test of
// src/claims/periods.ts and changes none of its answers: on random periods, in any order, with
// unknown starts and undated incidents, the overlap test with the index's condition selects
// exactly what the overlap test alone selects; and on a table of incidents, the query that reads
// the index answers as the recomputation over every row does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { incidentOverlapsSql, incidentPeriodIndexSql } from '../src/claims/periods.js';
import { Prisma } from '../src/generated/prisma/client.js';
import type { Period } from '../src/rules/dates.js';
import { useTestDatabase } from './support/gateway.js';

const database = useTestDatabase();

const runs = Number(process.env.CLAIMS_PROPERTY_RUNS ?? 200);
const i = Prisma.raw('i');
// Days around one month, so that periods often touch, share an end or contain one another.
const moment = fc.option(
  fc.integer({ min: 0, max: 40 * 24 }).map((hours) => new Date(Date.UTC(2025, 0, 1) + hours * 3_600_000)),
  { nil: null, freq: 5 },
);
const period = fc.record({ from: moment, until: moment }) as fc.Arbitrary<Period>;
const ts = (date: Date | null) => (date ? Prisma.sql`${date.toISOString()}::timestamp` : Prisma.sql`NULL::timestamp`);

describe('incident periods through the GiST index', () => {
  it('select what the overlap test alone selects, on any start and end, in any order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ started: moment, periodEnd: moment }), { minLength: 1, maxLength: 30 }), period, async (rows, asked) => {
        const values = Prisma.join(rows.map((row, n) => Prisma.sql`(${n}, ${ts(row.started)}, ${ts(row.periodEnd)})`));
        const answers = await database.db.prisma.$queryRaw<{ alone: boolean | null; indexed: boolean | null }[]>`
          SELECT ${incidentOverlapsSql(i, asked)} AS alone, (${incidentOverlapsSql(i, asked)} AND ${incidentPeriodIndexSql(i, asked)}) AS indexed
          FROM (VALUES ${values}) AS i(n, "startedAt", "periodEnd") ORDER BY n`;
        for (const answer of answers) expect(answer.indexed ?? false).toBe(answer.alone ?? false);
      }),
      { numRuns: runs },
    );
  });

  it('answer from the index as a recomputation over every incident does', async () => {
    const incidents = fc.sample(fc.record({ started: moment, ended: moment, precision: fc.constantFrom('DAY', 'MONTH', 'EXACT') }), { numRuns: 300, seed: 18 });
    await database.db.prisma.incident.createMany({
      data: incidents.map((incident, n) => ({
        title: `period ${n}`,
        kind: 'ARMED_ATTACK' as const,
        startedAt: incident.started,
        endedAt: incident.started && incident.ended && incident.ended >= incident.started ? incident.ended : null,
        datePrecision: incident.precision as 'DAY',
      })),
    });
    const periods = fc.sample(period, { numRuns: 40, seed: 18 });
    for (const asked of periods) {
      const read = (extra: Prisma.Sql) =>
        database.db.prisma.$queryRaw<{ id: number }[]>`SELECT i.id FROM "Incident" i WHERE ${incidentOverlapsSql(i, asked)} AND ${extra} ORDER BY i.id`;
      const recomputed = await read(Prisma.sql`TRUE`);
      const [indexed, plan] = await database.db.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
        const where = Prisma.sql`${incidentOverlapsSql(i, asked)} AND ${incidentPeriodIndexSql(i, asked)}`;
        return [
          await tx.$queryRaw<{ id: number }[]>`SELECT i.id FROM "Incident" i WHERE ${where} ORDER BY i.id`,
          await tx.$queryRaw<{ 'QUERY PLAN': string }[]>`EXPLAIN SELECT i.id FROM "Incident" i WHERE ${where}`,
        ];
      });
      expect(indexed, JSON.stringify(asked)).toEqual(recomputed);
      if (asked.from && asked.until && asked.from <= asked.until) expect(plan.map((line) => line['QUERY PLAN']).join('\n')).toContain('Incident_period_idx');
    }
  });
});
