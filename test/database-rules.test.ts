// The database itself refuses data that would misstate what was said, whatever client writes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { openTestDatabase } from './support/gateway.js';

let db: Database;
let drop: () => Promise<void>;
let statementId: number;
beforeAll(async () => {
  ({ db, drop } = await openTestDatabase());
  statementId = (await db.prisma.statement.findFirstOrThrow({ where: { kind: 'CASUALTY_REPORT' } })).id;
});
afterAll(async () => {
  await db.close();
  await drop();
});

const figure = (quantity: { quantityKind: string; low: number | null; high: number | null; phrase: string }) => ({
  statementId,
  metric: 'KILLED' as const,
  victimCategory: 'PEOPLE' as const,
  side: 'UNSPECIFIED' as const,
  victimDescription: 'people',
  ...quantity,
  quantityKind: quantity.quantityKind as 'EXACT',
});

describe('figures keep the shape of the words', () => {
  it.each([
    ['a number for "dozens"', { quantityKind: 'UNQUANTIFIED', low: 24, high: null, phrase: 'dozens' }],
    ['an upper end for "at least 67"', { quantityKind: 'AT_LEAST', low: 67, high: 100, phrase: 'at least 67' }],
    ['an exact figure with two ends', { quantityKind: 'EXACT', low: 10, high: 11, phrase: '10' }],
    ['a range whose ends are reversed', { quantityKind: 'RANGE', low: 15, high: 10, phrase: '10 to 15' }],
    ['a negative count', { quantityKind: 'EXACT', low: -1, high: -1, phrase: 'minus one' }],
  ])('refuses %s', async (_case, quantity) => {
    const before = await db.prisma.figure.count();
    await expect(db.prisma.figure.create({ data: figure(quantity) })).rejects.toThrow(/check constraint|violates/i);
    expect(await db.prisma.figure.count()).toBe(before);
  });

  it('accepts each kind in its own shape', async () => {
    const created = await db.prisma.$transaction([
      db.prisma.figure.create({ data: figure({ quantityKind: 'UNQUANTIFIED', low: null, high: null, phrase: 'dozens' }) }),
      db.prisma.figure.create({ data: figure({ quantityKind: 'AT_LEAST', low: 67, high: null, phrase: 'at least 67' }) }),
      db.prisma.figure.create({ data: figure({ quantityKind: 'AT_MOST', low: null, high: 20, phrase: 'up to 20' }) }),
      db.prisma.figure.create({ data: figure({ quantityKind: 'RANGE', low: 10, high: 15, phrase: 'between 10 and 15' }) }),
    ]);
    expect(created).toHaveLength(4);
  });
});

describe('statements name their claimant consistently', () => {
  it("refuses an official's statement without the official", async () => {
    await expect(
      db.prisma.statement.create({
        data: { kind: 'OTHER', claimantKind: 'OFFICIAL', claimantDescription: 'a minister', text: 'said something' },
      }),
    ).rejects.toThrow(/check constraint|violates/i);
  });

  it('refuses an unnamed speaker tied to an organisation', async () => {
    const organisation = await db.prisma.organisation.findFirstOrThrow();
    await expect(
      db.prisma.statement.create({
        data: { kind: 'OTHER', claimantKind: 'UNNAMED_GROUP', organisationId: organisation.id, claimantDescription: 'officials', text: 'said something' },
      }),
    ).rejects.toThrow(/check constraint|violates/i);
  });
});
