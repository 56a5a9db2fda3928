// The two copies of what a claim means as a number — src/claims/interval.ts and the SQL
// functions of the claim_intervals migration — give the same answer on random claims: figure
// bounds and vague words, sums and positions, exactness, overlap, ratio, agreement, which
// claim LOWEST_CLAIM and HIGHEST_CLAIM pick, and how a claim compares with the others'. Each case runs as one SQL statement over VALUES.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agreementOf,
  boundOut,
  chosenClaim,
  envelope,
  figureBoundsSql,
  figureClaim,
  highestOrder,
  impliedWord,
  isExact,
  lowestOrder,
  positionOf,
  ratioOf,
  relationOf,
  relativeRatio,
  sumOf,
  vagueFormSql,
  wordOfForm,
  type Claim,
  type PositionClaim,
  type VagueWordReading,
} from '../src/claims/interval.js';
import { VAGUE_WORDS, vagueWordOf } from '../src/claims/vague-words.js';
import { Prisma } from '../src/generated/prisma/client.js';
import { useTestDatabase } from './support/gateway.js';

const database = useTestDatabase();

const runs = Number(process.env.CLAIMS_PROPERTY_RUNS ?? 200);
const sql = Prisma.sql;
const query = <Row>(statement: Prisma.Sql) => database.db.prisma.$queryRaw<Row[]>(statement);

// --- Arbitraries ---------------------------------------------------------------------------

const count = fc.integer({ min: 0, max: 30 });

/** Phrases near the lexicon's forms (case, spacing, what follows), and odd ones. */
const FORMS = VAGUE_WORDS.flatMap((word) => word.forms);
const mangledForm = fc
  .record({
    form: fc.constantFrom(...FORMS),
    upper: fc.array(fc.boolean(), { maxLength: 30 }),
    space: fc.constantFrom(' ', '  ', '\t', ' \n ', '\u00a0', '\f', '\v'),
    before: fc.constantFrom('', ' ', '\t', '\u00a0'),
    after: fc.constantFrom('', ' militants', ',', 's', ' of them', '  ', '\u00a0people', 'x'),
  })
  .map(({ form, upper, space, before, after }) => {
    const cased = [...form].map((letter, i) => (upper[i] ? letter.toUpperCase() : letter)).join('');
    return before + cased.replaceAll(' ', space) + after;
  });
const phrase = fc.oneof(
  { weight: 4, arbitrary: mangledForm },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('some 10', 'about a dozen', 'SÉVERAL', 'ſeveral', 'dozens', 'Dozens of', '') },
);

const figure = fc.oneof(
  fc
    .record({ quantityKind: fc.constantFrom('EXACT' as const, 'APPROXIMATE' as const), n: count, phrase })
    .map(({ n, ...rest }) => ({ ...rest, low: n, high: n })),
  fc.record({ quantityKind: fc.constant('AT_LEAST' as const), low: count, high: fc.constant(null), phrase }),
  fc.record({ quantityKind: fc.constant('AT_MOST' as const), low: fc.constant(null), high: count, phrase }),
  fc
    .record({ quantityKind: fc.constant('RANGE' as const), low: count, width: fc.integer({ min: 1, max: 10 }), phrase })
    .map(({ width, ...rest }) => ({ ...rest, high: rest.low + width })),
  fc.record({ quantityKind: fc.constant('UNQUANTIFIED' as const), low: fc.constant(null), high: fc.constant(null), phrase }),
);

const claim: fc.Arbitrary<Claim> = fc.oneof(
  fc.record({ low: fc.constant(null), high: fc.constant(null), approximate: fc.boolean() }),
  fc.record({ low: count, width: fc.option(fc.integer({ min: 0, max: 10 })), approximate: fc.boolean() }).map(({ low, width, approximate }) => ({
    low,
    high: width === null ? null : low + width,
    approximate,
  })),
);

/** Positions of different claimants: each has its own (earliest) statement. */
const positions: fc.Arbitrary<PositionClaim[]> = fc
  .array(fc.record({ claim, coversWholeIncident: fc.boolean() }), { maxLength: 6 })
  .chain((items) =>
    fc
      .shuffledSubarray([...Array(items.length * 3 + 1).keys()], { minLength: items.length, maxLength: items.length })
      .map((ids) => items.map((item, i) => ({ ...item.claim, coversWholeIncident: item.coversWholeIncident, statementId: ids[i]! + 1 }))),
  );

// --- SQL over VALUES -----------------------------------------------------------------------

/** A claim as SQL float8: low NULL for no number; high 'Infinity' when open. */
const claimValues = (group: number, item: number, c: Claim, extra: Prisma.Sql = Prisma.empty) =>
  sql`(${group}::int, ${item}::int, ${c.low}::float8,
       ${c.low === null ? null : (c.high ?? 'Infinity')}::float8, ${c.approximate}::boolean ${extra})`;

const plain = (c: Claim) => ({ low: c.low, high: c.high, approximate: c.approximate });

describe('interval.ts and its SQL twin agree', () => {
  it('on the vague word a phrase opens with (vague_form)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(phrase, { minLength: 1, maxLength: 40 }), async (phrases) => {
        const rows = await query<{ i: number; form: number | null }>(sql`
          SELECT i, ${vagueFormSql(sql`p`)} AS form
          FROM unnest(${phrases}::text[]) WITH ORDINALITY AS t(p, i) ORDER BY i`);
        expect(rows.map((row) => (row.form === null ? null : wordOfForm(row.form).word))).toEqual(phrases.map((p) => vagueWordOf(p)?.word ?? null));
      }),
      { numRuns: runs },
    );
  });

  it('on what a figure allows, with and without implied bounds (claim_low, claim_high)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(figure, { minLength: 1, maxLength: 30 }),
        fc.constantFrom<VagueWordReading>('NO_NUMBER', 'IMPLIED_BOUNDS'),
        async (figures, reading) => {
          const bounds = figureBoundsSql(reading);
          const rows = await query<{ low: number | null; high: number | null; open: boolean; form: number | null }>(sql`
          SELECT ${boundOut(bounds.low)} AS low, ${boundOut(bounds.high)} AS high, ${bounds.high} = 'Infinity' AS open,
                 ${bounds.impliedForm} AS form
          FROM (VALUES ${Prisma.join(figures.map((f, i) => sql`(${i}::int, ${f.quantityKind}::"QuantityKind", ${f.low}::int, ${f.high}::int, ${f.phrase}::text)`))})
            AS f(i, "quantityKind", low, high, phrase)
          ORDER BY i`);
          const expected = figures.map((f) => {
            const c = figureClaim(f, reading);
            return { low: c.low, high: c.high, open: c.low === null ? null : c.high === null, form: impliedWord(f, reading)?.word ?? null };
          });
          expect(rows.map((row) => ({ ...row, form: row.form === null ? null : wordOfForm(row.form).word }))).toEqual(expected);
        },
      ),
      { numRuns: runs },
    );
  });

  it('on sums, positions and exactness (sum, claim_sum_high, claim_position_high, claim_exact)', async () => {
    const groups = fc.array(fc.record({ parts: fc.array(claim, { minLength: 1, maxLength: 5 }), whole: fc.boolean() }), { minLength: 1, maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(groups, async (cases) => {
        const values = cases.flatMap((c, g) => c.parts.map((part, i) => claimValues(g, i, part, sql`, ${c.whole}::boolean`)));
        const rows = await query<{
          low: number | null;
          high: number | null;
          approximate: boolean;
          exact: boolean;
          position_high: number | null;
          position_exact: boolean;
        }>(sql`
          SELECT ${boundOut(sql`low`)} AS low, ${boundOut(sql`high`)} AS high, approximate,
                 claim_exact(low, high, approximate) AS exact,
                 ${boundOut(sql`claim_position_high(high, whole)`)} AS position_high,
                 claim_exact(low, claim_position_high(high, whole), approximate) AS position_exact
          FROM (SELECT g, sum(low) AS low, claim_sum_high(count(*), count(low), sum(high)) AS high,
                       bool_or(approximate) AS approximate, bool_and(whole) AS whole
                FROM (VALUES ${Prisma.join(values)}) AS v(g, i, low, high, approximate, whole) GROUP BY g) sums
          ORDER BY g`);
        expect(rows).toEqual(
          cases.map((c) => {
            const sum = sumOf(c.parts);
            const position = positionOf(c.parts, c.whole);
            return { ...plain(sum), exact: isExact(sum), position_high: position.high, position_exact: isExact(position) };
          }),
        );
      }),
      { numRuns: runs },
    );
  });

  it('on envelopes, ratios and agreement (min, max, claims_ratio, claims_agreement)', async () => {
    const groups = fc.array(fc.array(claim, { maxLength: 6 }), { minLength: 1, maxLength: 20 }).map((gs) => gs.filter((g) => g.length > 0));
    await fc.assert(
      fc.asyncProperty(groups, async (cases) => {
        fc.pre(cases.length > 0);
        const values = cases.flatMap((c, g) => c.map((item, i) => claimValues(g, i, item)));
        const rows = await query<{ low: number | null; high: number | null; ratio: number | null; agreement: string }>(sql`
          SELECT ${boundOut(sql`min(low)`)} AS low, ${boundOut(sql`max(high)`)} AS high,
                 claims_ratio(count(low), max(low), min(high)) AS ratio,
                 claims_agreement(count(low), max(low), min(high), min(low), max(high),
                                  coalesce(bool_and(claim_exact(low, high, approximate)) FILTER (WHERE low IS NOT NULL), FALSE)) AS agreement
          FROM (VALUES ${Prisma.join(values)}) AS v(g, i, low, high, approximate) GROUP BY g ORDER BY g`);
        expect(rows).toEqual(
          cases.map((c) => {
            const { low, high } = envelope(c);
            return { low, high, ratio: ratioOf(c), agreement: agreementOf(c) };
          }),
        );
      }),
      { numRuns: runs },
    );
  });

  it("on how a claim compares with the others' (claim_relation, claim_relative_ratio)", async () => {
    // Each claim of a group against the rest of it, over the window without its own row, as
    // the kept relations are computed (standing-positions.ts).
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(claim, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 20 }), async (cases) => {
        const values = cases.flatMap((c, g) => c.map((item, i) => claimValues(g, i, item)));
        const rows = await query<{ relation: string; ratio: number | null }>(sql`
          SELECT relation, claim_relative_ratio(relation, low, high, others_min_low, others_max_high) AS ratio
          FROM (SELECT *, claim_relation(low, high, approximate, others_numbers, others_min_low, others_max_high, others_all_exact) AS relation
                FROM (SELECT g, i, low, high, approximate, count(low) OVER others AS others_numbers, min(low) OVER others AS others_min_low,
                             max(high) FILTER (WHERE low IS NOT NULL) OVER others AS others_max_high,
                             coalesce(bool_and(claim_exact(low, high, approximate)) FILTER (WHERE low IS NOT NULL) OVER others, TRUE) AS others_all_exact
                      FROM (VALUES ${Prisma.join(values)}) AS v(g, i, low, high, approximate)
                      WINDOW others AS (PARTITION BY g ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)) others) related
          ORDER BY g, i`);
        expect(rows).toEqual(
          cases.flatMap((c) =>
            c.map((own, i) => {
              const others = c.filter((_, j) => j !== i);
              return { relation: relationOf(own, others), ratio: relativeRatio(own, others) };
            }),
          ),
        );
      }),
      { numRuns: runs },
    );
  });

  it('on the claim LOWEST_CLAIM and HIGHEST_CLAIM pick (claim_lowest_order, claim_highest_order)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(positions, { minLength: 1, maxLength: 20 }), async (cases) => {
        const values = cases.flatMap((c, g) => c.map((p, i) => claimValues(g, i, p, sql`, ${p.coversWholeIncident}::boolean, ${p.statementId}::int`)));
        fc.pre(values.length > 0);
        const rows = await query<{ g: number; lowest: number; highest: number }>(sql`
          SELECT g, (array_agg(i ORDER BY claim_lowest_order(low, high, whole, statement_id)))[1] AS lowest,
                    (array_agg(i ORDER BY claim_highest_order(low, high, whole, statement_id)))[1] AS highest
          FROM (VALUES ${Prisma.join(values)}) AS v(g, i, low, high, approximate, whole, statement_id) GROUP BY g ORDER BY g`);
        expect(rows).toEqual(
          cases.flatMap((c, g) =>
            c.length === 0 ? [] : [{ g, lowest: c.indexOf(chosenClaim(c, lowestOrder)!), highest: c.indexOf(chosenClaim(c, highestOrder)!) }],
          ),
        );
      }),
      { numRuns: runs },
    );
  });
});

describe('the README', () => {
  it('lists the lexicon as it is: every word, its other forms, its bound and its reasoning', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = VAGUE_WORDS.map((w) => {
      const forms =
        w.forms
          .filter((form) => form !== w.word)
          .map((form) => `"${form}"`)
          .join(', ') || '—';
      return `| ${w.word} | ${forms} | ${w.impliedAtLeast ?? 'no number'} | ${w.reasoning} |`;
    });
    const table = readme.split('\n').filter((line) => line.startsWith('| ') && VAGUE_WORDS.some((w) => line.startsWith(`| ${w.word} |`)));
    expect(table).toEqual(rows);
  });
});
