// The seed article, loaded into a fresh database, answers the article's facts through Prisma.
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { applyMigrations } from '../src/db/schema-engine.js';
import { DEFAULT_SEED_FILE, SeedFileError, holdsNoStatements, parseSeed, seedDatabase } from '../src/seed/seed.js';

let pglite: PGlite;
let prisma: PrismaClient;
let firstRun: { created: Record<string, number> };
let emptyBeforeSeeding: boolean;

const seedId = (key: string) => `seed:${key}`;
/** The id of a seeded record: its external ID is the local operator's "seed:<key>". */
const seeded = async (entityType: string, key: string) =>
  (await prisma.externalId.findUniqueOrThrow({ where: { ownerId_entityType_externalId: { ownerId: 0, entityType, externalId: seedId(key) } } })).entityId;
const figure = async (key: string) =>
  prisma.figure.findUniqueOrThrow({
    where: { id: await seeded('Figure', key) },
    include: { statement: true, incident: true, place: true, countedOrganisation: true, supersedes: true },
  });

async function countAll() {
  return {
    place: await prisma.place.count(),
    organisation: await prisma.organisation.count(),
    official: await prisma.official.count(),
    officialRole: await prisma.officialRole.count(),
    source: await prisma.source.count(),
    incident: await prisma.incident.count(),
    incidentPlace: await prisma.incidentPlace.count(),
    incidentParticipant: await prisma.incidentParticipant.count(),
    statement: await prisma.statement.count(),
    statementSource: await prisma.statementSource.count(),
    statementIncident: await prisma.statementIncident.count(),
    figure: await prisma.figure.count(),
    figureBreakdownItem: await prisma.figureBreakdownItem.count(),
  };
}

const EXPECTED_COUNTS = {
  place: 7, // Pakistan, Balochistan, Quetta, Gwadar, Noshki, the Gwadar camp, the Quetta high-security area
  organisation: 10,
  official: 3,
  officialRole: 3,
  source: 4, // the article, the Reuters report, Naqvi's statement, the administrator's video
  incident: 6, // the coordinated attack and its 4 parts, and the separate raids
  incidentPlace: 9,
  incidentParticipant: 13,
  statement: 13,
  statementSource: 17,
  statementIncident: 15,
  figure: 9,
  figureBreakdownItem: 3,
};

beforeAll(async () => {
  pglite = new PGlite();
  await applyMigrations(new PrismaPGlite(pglite));
  prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  emptyBeforeSeeding = await holdsNoStatements(new PrismaPGlite(pglite));
  firstRun = await seedDatabase(prisma);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await pglite?.close();
});

describe('seeding the article', () => {
  it('creates every entity of the article, and reports what it created', async () => {
    expect(await countAll()).toEqual(EXPECTED_COUNTS);
    expect(firstRun.created).toEqual(EXPECTED_COUNTS);
  });

  it('keeps each figure as it was said', async () => {
    const said = async (key: string) => {
      const f = await figure(key);
      return [f.metric, f.victimCategory, f.side, f.quantityKind, f.low, f.high, f.phrase];
    };
    expect(await said('militants-killed-at-least-67')).toEqual(['KILLED', 'MILITANTS', 'NON_STATE_ARMED_GROUP', 'AT_LEAST', 67, null, 'at least 67']);
    expect(await said('security-personnel-killed-84')).toEqual(['KILLED', 'SECURITY_PERSONNEL', 'STATE_FORCES', 'EXACT', 84, 84, '84']);
    expect(await said('security-personnel-killed-some-10')).toEqual(['KILLED', 'SECURITY_PERSONNEL', 'STATE_FORCES', 'APPROXIMATE', 10, 10, 'some 10']);
    expect(await said('civilians-killed-11')).toEqual(['KILLED', 'CIVILIANS', 'CIVILIAN', 'EXACT', 11, 11, '11']);
    expect(await said('militants-killed-dozens')).toEqual(['KILLED', 'MILITANTS', 'NON_STATE_ARMED_GROUP', 'UNQUANTIFIED', null, null, 'dozens']);
    expect(await said('militants-killed-41')).toEqual(['KILLED', 'MILITANTS', 'NON_STATE_ARMED_GROUP', 'EXACT', 41, 41, '41']);

    const some10 = await figure('security-personnel-killed-some-10');
    expect(some10.victimDescription).toBe('police and security personnel');
    // The same people as the BLA's 84: Pakistan's security forces.
    expect(some10.countedOrganisation?.name).toBe('Pakistan’s security forces');
    const claimed84 = await figure('security-personnel-killed-84');
    expect(claimed84.statement.kind).toBe('RESPONSIBILITY_CLAIM');
    expect(claimed84.countedOrganisation?.name).toBe('Pakistan’s security forces');
  });

  it('records who claimed each figure', async () => {
    const claimants = await prisma.figure.findMany({
      orderBy: { id: 'asc' },
      select: {
        phrase: true,
        statement: {
          select: {
            claimantKind: true,
            claimantDescription: true,
            official: { select: { name: true } },
            organisation: { select: { name: true } },
          },
        },
      },
    });
    const by = Object.fromEntries(
      claimants.map(({ phrase, statement: s }) => [phrase, [s.claimantKind, s.official?.name ?? s.organisation?.name ?? s.claimantDescription]]),
    );
    expect(by).toMatchObject({
      'at least 67': ['UNNAMED_GROUP', 'security officials'],
      '41': ['ORGANISATION', 'Pakistan’s military'],
      '84': ['ORGANISATION', 'Baloch Liberation Army'],
      dozens: ['OFFICIAL', 'Mohsin Naqvi'],
      '11 people': ['OFFICIAL', 'Atta-ur-Rehman'],
      six: ['OFFICIAL', 'Atta-ur-Rehman'],
      five: ['UNNAMED_GROUP', expect.stringContaining('not stated')],
    });
  });

  it('revises the Gwadar toll from 5 to 11 without overwriting it', async () => {
    const revised = await prisma.figure.findUniqueOrThrow({
      where: { id: await seeded('Figure', 'gwadar-killed-11') },
      include: { supersedes: true, place: true, incident: true, breakdown: { orderBy: { position: 'asc' } } },
    });
    expect([revised.low, revised.phrase, revised.place?.name]).toEqual([11, '11 people', 'Gwadar']);
    expect(revised.incident?.kind).toBe('ARMED_ATTACK');
    expect([revised.supersedes?.low, revised.supersedes?.phrase]).toEqual([5, 'five']);
    expect(revised.breakdown.map((b) => [b.label, b.count])).toEqual([
      ['men', 5],
      ['women', 3],
      ['children', 3],
    ]);
    const earlier = await prisma.figure.findUniqueOrThrow({
      where: { id: await seeded('Figure', 'gwadar-killed-5') },
      include: { supersededBy: true },
    });
    expect(earlier.supersededBy?.id).toBe(await seeded('Figure', 'gwadar-killed-11'));
  });

  it('marks the Noshki video as unverified by Reuters', async () => {
    const message = await prisma.statement.findUniqueOrThrow({
      where: { id: await seeded('Statement', 'administrator-custody-message') },
      include: {
        verifiedBy: true,
        official: { include: { roles: { include: { place: true } } } },
        sources: { orderBy: { position: 'asc' }, include: { source: true } },
        incidents: { include: { incident: true } },
      },
    });
    expect(message.kind).toBe('HOSTAGE_MESSAGE');
    // An official speaking in the militants' custody does not speak for the state.
    expect(message.claimantAffiliation).toBe('UNKNOWN');
    expect(message.verification).toBe('UNVERIFIED');
    expect(message.verifiedBy?.name).toBe('Reuters');
    expect(message.verificationNote).toBe('Reuters could not independently verify the video.');
    expect(message.official?.name).toBeNull();
    expect(message.official?.roles.map((r) => [r.title, r.place?.name])).toEqual([['top civil administrator', 'Noshki']]);
    expect(message.sources.map((s) => s.source.kind)).toEqual(['NEWS_ARTICLE', 'NEWS_AGENCY_REPORT', 'SOCIAL_MEDIA_VIDEO']);
    expect(message.incidents.map((i) => i.incident.kind)).toEqual(['ABDUCTION']);
  });

  it('keeps the 41-militants claim of 30 January on the separate raids, not under the 31 January attacks', async () => {
    const claim = await figure('militants-killed-41');
    expect(claim.statement.madeAt).toEqual(new Date('2026-01-30T00:00:00Z'));
    expect(claim.statement.madeAtPrecision).toBe('DAY');
    expect(claim.incident?.kind).toBe('SECURITY_OPERATION');
    expect(claim.incident?.parentId).toBeNull();
    // Known only to have happened on or before 30 January: no start, the end that day.
    expect(claim.incident?.startedAt).toBeNull();
    expect(claim.incident?.endedAt).toEqual(new Date('2026-01-30T00:00:00Z'));

    const attacks = await prisma.incident.findUniqueOrThrow({
      where: { id: await seeded('Incident', 'balochistan-attacks') },
      include: { children: true, places: { include: { place: true } } },
    });
    expect(attacks.kind).toBe('COORDINATED_ATTACK');
    expect(attacks.startedAt).toEqual(new Date('2026-01-31T00:00:00Z'));
    expect(attacks.children.map((c) => c.kind).sort()).toEqual(['ABDUCTION', 'ARMED_ATTACK', 'BLOCKADE', 'EXPLOSION']);
    expect(attacks.children.map((c) => c.id)).not.toContain(claim.incidentId);
    expect(attacks.places.map((p) => p.place.name).sort()).toEqual(['Balochistan', 'Gwadar', 'Noshki', 'Quetta']);
  });

  it('traces the casualty report to security officials through Reuters and the Indian Express', async () => {
    const report = await prisma.statement.findUniqueOrThrow({
      where: { id: await seeded('Statement', 'security-officials-casualties') },
      include: { sources: { orderBy: { position: 'asc' }, include: { source: { include: { publisher: true } } } } },
    });
    expect([report.claimantKind, report.claimantDescription]).toEqual(['UNNAMED_GROUP', 'security officials']);
    expect(report.sources.map((s) => [s.position, s.source.kind, s.source.publisher?.name])).toEqual([
      [0, 'NEWS_ARTICLE', 'The Indian Express'],
      [1, 'NEWS_AGENCY_REPORT', 'Reuters'],
    ]);
    const article = report.sources[0]!.source;
    expect(article.byline).toBe('Express Global Desk');
    expect(article.publishedAt).toEqual(new Date('2026-01-31T14:27:00Z'));
    expect(article.url).toBeNull();
  });

  it('starts every source chain with the Indian Express article', async () => {
    const firstLinks = await prisma.statementSource.findMany({ where: { position: 0 }, include: { source: true } });
    expect(firstLinks).toHaveLength(EXPECTED_COUNTS.statement);
    expect(new Set(firstLinks.map((l) => l.source.id))).toEqual(new Set([await seeded('Source', 'indian-express-article')]));
  });

  it('links the BLA to the attacks through its own claim', async () => {
    const bla = await prisma.incidentParticipant.findFirstOrThrow({
      where: { organisationId: await seeded('Organisation', 'bla') },
      include: { incident: true, basis: true, organisation: true },
    });
    expect(bla.role).toBe('PERPETRATOR');
    expect(bla.incident.id).toBe(await seeded('Incident', 'balochistan-attacks'));
    expect(bla.basis?.kind).toBe('RESPONSIBILITY_CLAIM');
    expect(bla.organisation?.aliases).toEqual(['BLA']);
  });

  it('is what a start seeds: a migrated database holds no statement until seeded', async () => {
    expect(emptyBeforeSeeding).toBe(true);
    expect(await holdsNoStatements(new PrismaPGlite(pglite))).toBe(false);
  });

  it('creates nothing the second time', async () => {
    const second = await seedDatabase(prisma);
    expect(Object.values(second.created).every((n) => n === 0)).toBe(true);
    expect(await countAll()).toEqual(EXPECTED_COUNTS);
  });

  it('names the record and field of an unknown reference or enum value', async () => {
    const file = JSON.parse(await readFile(DEFAULT_SEED_FILE, 'utf8'));
    file.statements[0].sourceChain = ['indian-express-article', 'nowhere'];
    file.statements[0].figures[0].side = 'BOTH';
    expect(() => parseSeed(file)).toThrow(SeedFileError);
    expect(() => parseSeed(file)).toThrow(/statements "security-officials-casualties": field "sourceChain\[1\]" refers to unknown sources "nowhere"/);
    expect(() => parseSeed(file)).toThrow(/figures "militants-killed-at-least-67": field "side" must be one of STATE_FORCES, NON_STATE_ARMED_GROUP/);
  });
});
