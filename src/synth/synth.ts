// A synthetic dataset for load and query-plan work (`npm run db:synth -- --figures 10000`):
// realistic in shape and proportions, deterministic from a seed number, written fast.
//
// Shape and proportions (F = requested figures):
// - Places: one country > 8 provinces > 60 districts > 400 cities (a tree, fixed size).
// - Organisations: 300 (fixed): 40 armed groups, 12 militaries/security forces, 28 police
//   forces, 60 government bodies, 20 news agencies, 90 news outlets, 25 hospitals, 25 NGOs;
//   most have aliases (an abbreviation or a second name).
// - Officials: F / 5 (at least 300, at most 20,000), each with 1–2 roles (a title in an
//   organisation, district administrators also for a district).
// - Incidents: statements / 3.5. About 20% are parts of a coordinated campaign or operation
//   (a parent incident with 2–5 parts, dated on or after the parent's first day; parents
//   are never parts themselves, so the tree is two levels deep).
// - Statements: F / 1.8, at least one per incident, more for campaigns. Claimants:
//   organisations 40%, officials 30%, unnamed groups 22% ("security officials", "residents"),
//   unnamed persons 8%; whom they speak for (state, armed group, independent) follows from
//   the organisation's kind or the description. About 14% of later statements on an
//   incident are follow-ups by an earlier claimant whose figures revise its earlier ones.
//   Verification: not assessed 60%, unverified 25%, verified 10%, disputed 4%, false 1%
//   (assessed ones name a news agency as verifier); 0.3% retracted, with a reason.
// - Figures: 1–3 per statement (40/40/20: 1.8 on average), distinct metric × side within a
//   statement. Metrics: killed 50%, injured 25%, arrested 8%, abducted 7%, missing 4%,
//   displaced 3%, surrendered 3%. Arrests count militants or people, surrenders militants,
//   abductions civilians, workers, officials, police or people, the missing civilians, people
//   or security personnel, displacement civilians or people; otherwise who is counted follows
//   the claimant (the state counts mostly militants, armed groups mostly security forces,
//   independents mostly civilians). Quantity kinds: EXACT 55%, AT_LEAST 15%, APPROXIMATE 12%,
//   RANGE 8%, UNQUANTIFIED 7% ("dozens", "several": low and high null), AT_MOST 3%. Revision chains:
//   about 8% of figures are superseded by a later figure of the same claimant, incident,
//   metric and side (a later `madeAt`). About 1% are retracted, with a reason. 3% of exact
//   figures of 3 or more carry a breakdown (men, women, children) that sums to the figure.
// - Sources: each incident's statements are carried by 1–2 news articles (position 0), a
//   wire report (position 1) for 55% of statements, and an original (press release, video,
//   official statement; position 2) for 15%: source chains of 1–3.
//
// Written with multi-row `INSERT ... SELECT ... FROM unnest($1::int[], $2::text[], ...)` in
// chunks of 5,000 rows (`chunkSize`; one bound array per column, so a chunk is one statement
// with a few dozen parameters) inside one transaction: all of it or none. Ids are assigned here, after
// the highest id already in each table, so foreign keys are computed without reading rows
// back; the sequences are moved past them at the end. Timestamps (`createdAt`, `updatedAt`)
// are derived from the data, not the clock, so the same seed gives the same rows.
//
// No Change rows: synthetic data is not an audited write (nobody said it), so it stays out of
// the audit trail and the sync feed. Every row's external ID (the local operator's, in ExternalId)
// starts with `synth-<seed>-`. Bulk inserts do not go through the write functions (they would take
// hours at a million figures): the database's own rules (CHECK constraints, the period triggers)
// still hold for every row.
import { rebuildStandings } from '../claims/standing-positions.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

export interface SynthOptions {
  figures: number;
  seed: number;
  /** Rows per INSERT statement. */
  chunkSize?: number;
}

export interface SynthResult {
  /** Rows written per table. */
  counts: Record<string, number>;
  rows: number;
  elapsedMs: number;
  /** Time spent in INSERT statements per table (the rest is generation, sequences, VACUUM and ANALYZE). */
  insertMs: Record<string, number>;
}

export class SynthAlreadyPresentError extends Error {
  constructor(seed: number) {
    super(`The database already holds synthetic data from seed ${seed}: use another --seed, or a fresh database.`);
    this.name = 'SynthAlreadyPresentError';
  }
}

// ---------------------------------------------------------------------------------------
// Seeded randomness: mulberry32, a 32-bit generator good enough for data shapes.

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let u = this.next() * total;
    for (const [value, weight] of choices) {
      u -= weight;
      if (u < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }
  /** A casualty-like count: mostly small, a long tail. */
  magnitude(scale: number): number {
    return Math.min(400, 1 + Math.floor(-Math.log(1 - this.next()) * scale));
  }
}

// ---------------------------------------------------------------------------------------
// Bulk writing: one bound array per column, unnested into rows.

type ColumnType = 'int' | 'text' | 'float8' | 'bool' | 'timestamp' | 'date' | 'texts' | `enum:${string}`;

interface TableSpec {
  name: string;
  columns: readonly (readonly [string, ColumnType])[];
}

const arrayType = (type: ColumnType) =>
  type === 'timestamp' ? 'timestamp(3)[]' : type === 'date' ? 'date[]' : type === 'texts' || type.startsWith('enum:') ? 'text[]' : `${type}[]`;

function selectExpression(column: string, type: ColumnType): Prisma.Sql {
  const ref = Prisma.raw(`t."${column}"`);
  // A list column arrives as JSON text (arrays of arrays cannot be unnested row by row).
  if (type === 'texts') return Prisma.sql`ARRAY(SELECT jsonb_array_elements_text(${ref}::jsonb))`;
  if (type.startsWith('enum:')) return Prisma.sql`${ref}::${Prisma.raw(`"${type.slice(5)}"`)}`;
  return ref;
}

type Value = string | number | boolean | null;

class Buffer {
  rows: Value[][] = [];
  written = 0;
  /** Time spent in INSERT statements, milliseconds. */
  insertMs = 0;
  constructor(readonly spec: TableSpec) {}
  push(row: Value[]) {
    this.rows.push(row);
  }
  async flush(tx: Prisma.TransactionClient) {
    if (this.rows.length === 0) return;
    const { name, columns } = this.spec;
    const arrays = columns.map(([, type], i) => {
      const values = this.rows.map((row) => row[i] ?? null);
      return Prisma.sql`${type === 'texts' ? values.map((v) => JSON.stringify(v ?? [])) : values}::${Prisma.raw(arrayType(type))}`;
    });
    const names = Prisma.raw(columns.map(([c]) => `"${c}"`).join(', '));
    const started = performance.now();
    await tx.$executeRaw`INSERT INTO ${Prisma.raw(`"${name}"`)} (${names})
      SELECT ${Prisma.join(columns.map(([c, type]) => selectExpression(c, type)))}
      FROM unnest(${Prisma.join(arrays)}) AS t(${names})`;
    this.insertMs += performance.now() - started;
    this.written += this.rows.length;
    this.rows = [];
  }
}

const TABLES = {
  Place: {
    name: 'Place',
    columns: [
      ['id', 'int'],
      ['name', 'text'],
      ['aliases', 'texts'],
      ['kind', 'enum:PlaceKind'],
      ['parentId', 'int'],
      ['latitude', 'float8'],
      ['longitude', 'float8'],
      ['createdAt', 'timestamp'],
      ['updatedAt', 'timestamp'],
    ],
  },
  Organisation: {
    name: 'Organisation',
    columns: [
      ['id', 'int'],
      ['name', 'text'],
      ['aliases', 'texts'],
      ['kind', 'enum:OrganisationKind'],
      ['countryId', 'int'],
      ['description', 'text'],
      ['createdAt', 'timestamp'],
      ['updatedAt', 'timestamp'],
    ],
  },
  Official: {
    name: 'Official',
    columns: [
      ['id', 'int'],
      ['name', 'text'],
      ['description', 'text'],
      ['aliases', 'texts'],
      ['createdAt', 'timestamp'],
      ['updatedAt', 'timestamp'],
    ],
  },
  OfficialRole: {
    name: 'OfficialRole',
    columns: [
      ['id', 'int'],
      ['officialId', 'int'],
      ['title', 'text'],
      ['organisationId', 'int'],
      ['placeId', 'int'],
      ['startedOn', 'date'],
      ['endedOn', 'date'],
    ],
  },
  Incident: {
    name: 'Incident',
    columns: [
      ['id', 'int'],
      ['title', 'text'],
      ['kind', 'enum:IncidentKind'],
      ['description', 'text'],
      ['startedAt', 'timestamp'],
      ['endedAt', 'timestamp'],
      ['datePrecision', 'enum:DatePrecision'],
      ['parentId', 'int'],
      ['createdAt', 'timestamp'],
      ['updatedAt', 'timestamp'],
    ],
  },
  IncidentPlace: {
    name: 'IncidentPlace',
    columns: [
      ['incidentId', 'int'],
      ['placeId', 'int'],
    ],
  },
  IncidentParticipant: {
    name: 'IncidentParticipant',
    columns: [
      ['id', 'int'],
      ['incidentId', 'int'],
      ['role', 'enum:ParticipantRole'],
      ['organisationId', 'int'],
      ['description', 'text'],
    ],
  },
  Source: {
    name: 'Source',
    columns: [
      ['id', 'int'],
      ['title', 'text'],
      ['description', 'text'],
      ['kind', 'enum:SourceKind'],
      ['publisherId', 'int'],
      ['publishedAt', 'timestamp'],
      ['createdAt', 'timestamp'],
      ['updatedAt', 'timestamp'],
    ],
  },
  Statement: {
    name: 'Statement',
    columns: [
      ['id', 'int'],
      ['kind', 'enum:StatementKind'],
      ['claimantKind', 'enum:ClaimantKind'],
      ['officialId', 'int'],
      ['organisationId', 'int'],
      ['claimantDescription', 'text'],
      ['claimantAffiliation', 'enum:ClaimantAffiliation'],
      ['madeAt', 'timestamp'],
      ['text', 'text'],
      ['isDirectQuote', 'bool'],
      ['verification', 'enum:VerificationStatus'],
      ['verificationNote', 'text'],
      ['verifiedById', 'int'],
      ['retractedAt', 'timestamp'],
      ['retractionReason', 'text'],
      ['createdAt', 'timestamp'],
      ['updatedAt', 'timestamp'],
    ],
  },
  StatementIncident: {
    name: 'StatementIncident',
    columns: [
      ['statementId', 'int'],
      ['incidentId', 'int'],
    ],
  },
  StatementSource: {
    name: 'StatementSource',
    columns: [
      ['statementId', 'int'],
      ['position', 'int'],
      ['sourceId', 'int'],
    ],
  },
  Figure: {
    name: 'Figure',
    columns: [
      ['id', 'int'],
      ['statementId', 'int'],
      ['incidentId', 'int'],
      ['metric', 'enum:FigureMetric'],
      ['victimCategory', 'enum:VictimCategory'],
      ['side', 'enum:Side'],
      ['countedOrganisationId', 'int'],
      ['victimDescription', 'text'],
      ['placeId', 'int'],
      ['quantityKind', 'enum:QuantityKind'],
      ['low', 'int'],
      ['high', 'int'],
      ['phrase', 'text'],
      ['supersedesId', 'int'],
      ['retractedAt', 'timestamp'],
      ['retractionReason', 'text'],
      ['version', 'int'],
      ['createdAt', 'timestamp'],
      ['updatedAt', 'timestamp'],
    ],
  },
  FigureBreakdownItem: {
    name: 'FigureBreakdownItem',
    columns: [
      ['id', 'int'],
      ['figureId', 'int'],
      ['label', 'text'],
      ['count', 'int'],
      ['position', 'int'],
    ],
  },
  ExternalId: {
    name: 'ExternalId',
    columns: [
      ['ownerId', 'int'],
      ['entityType', 'text'],
      ['externalId', 'text'],
      ['entityId', 'int'],
      ['createdAt', 'timestamp'],
    ],
  },
} as const satisfies Record<string, TableSpec>;

/** Tables whose rows are pushed with their external ID second (kept in ExternalId, owned by the local operator). */
const NAMED: ReadonlySet<TableName> = new Set(['Place', 'Organisation', 'Official', 'Incident', 'Source', 'Statement', 'Figure']);

type TableName = keyof typeof TABLES;
/** Insert order: a table's foreign keys point only to tables before it. */
const ORDER = Object.keys(TABLES) as TableName[];
/** Tables with an autoincrement id (their sequences are moved past the ids written here). */
const WITH_ID: TableName[] = [
  'Place',
  'Organisation',
  'Official',
  'OfficialRole',
  'Incident',
  'IncidentParticipant',
  'Source',
  'Statement',
  'Figure',
  'FigureBreakdownItem',
];

// ---------------------------------------------------------------------------------------
// Vocabulary.

const SYLLABLES = [
  'ka',
  'ran',
  'su',
  'rab',
  'mas',
  'tung',
  'no',
  'shki',
  'gwa',
  'dar',
  'pan',
  'jgur',
  'tur',
  'bat',
  'lo',
  'ra',
  'lai',
  'zhob',
  'qi',
  'la',
  'si',
  'bi',
  'de',
  'ra',
  'bug',
  'ti',
  'kach',
  'hi',
  'khu',
  'zdar',
  'awa',
  'ran',
  'le',
  'sbe',
  'la',
  'cha',
  'gai',
  'mu',
  'sa',
  'khel',
];
const FIRST_NAMES = [
  'Ahmed',
  'Ali',
  'Bilal',
  'Danish',
  'Farhan',
  'Ghulam',
  'Hamid',
  'Imran',
  'Javed',
  'Kamran',
  'Liaquat',
  'Mir',
  'Nadeem',
  'Omar',
  'Qasim',
  'Rashid',
  'Saeed',
  'Tariq',
  'Usman',
  'Waqar',
  'Yasir',
  'Zahid',
  'Ayesha',
  'Fatima',
  'Nasreen',
  'Saima',
  'Zainab',
  'Hina',
  'Rukhsana',
  'Sadia',
];
const LAST_NAMES = [
  'Baloch',
  'Khan',
  'Mengal',
  'Bugti',
  'Marri',
  'Rind',
  'Jamali',
  'Zehri',
  'Kakar',
  'Achakzai',
  'Shah',
  'Qureshi',
  'Siddiqui',
  'Butt',
  'Chaudhry',
  'Malik',
  'Abbasi',
  'Hashmi',
  'Raisani',
  'Lehri',
];
const UNNAMED_GROUPS: readonly (readonly [string, Org['affiliation']])[] = [
  ['security officials', 'STATE'],
  ['police sources', 'STATE'],
  ['local officials', 'STATE'],
  ['military sources', 'STATE'],
  ['residents', 'INDEPENDENT'],
  ['hospital sources', 'INDEPENDENT'],
  ['rights activists', 'INDEPENDENT'],
  ['militant sources', 'NON_STATE_ARMED_GROUP'],
];
const UNNAMED_PERSONS: readonly (readonly [string, Org['affiliation']])[] = [
  ['a senior police officer', 'STATE'],
  ['a military official who asked not to be named', 'STATE'],
  ['a district administration official', 'STATE'],
  ['a witness', 'INDEPENDENT'],
  ['a local journalist', 'INDEPENDENT'],
  ['a doctor at the district hospital', 'INDEPENDENT'],
];
const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
const METRIC_VERB: Record<string, string> = {
  KILLED: 'were killed',
  INJURED: 'were injured',
  ABDUCTED: 'were abducted',
  ARRESTED: 'were arrested',
  MISSING: 'went missing',
  DISPLACED: 'were displaced',
  SURRENDERED: 'surrendered',
};
/** Metrics that count only some kinds of people (civilians are not said to surrender). */
const METRIC_VICTIMS: Record<string, readonly string[]> = {
  ARRESTED: ['MILITANTS', 'PEOPLE'],
  ABDUCTED: ['CIVILIANS', 'MIGRANT_WORKERS', 'OFFICIALS', 'POLICE', 'PEOPLE'],
  MISSING: ['CIVILIANS', 'PEOPLE', 'SECURITY_PERSONNEL'],
  SURRENDERED: ['MILITANTS'],
  DISPLACED: ['CIVILIANS', 'PEOPLE'],
};
const VICTIMS: Record<string, { side: string; words: readonly string[] }> = {
  MILITANTS: { side: 'NON_STATE_ARMED_GROUP', words: ['militants', 'insurgents', 'fighters', 'terrorists'] },
  SECURITY_PERSONNEL: { side: 'STATE_FORCES', words: ['security personnel', 'security forces personnel'] },
  SOLDIERS: { side: 'STATE_FORCES', words: ['soldiers', 'army personnel'] },
  POLICE: { side: 'STATE_FORCES', words: ['policemen', 'police officers', 'Levies personnel'] },
  OFFICIALS: { side: 'STATE_FORCES', words: ['government officials', 'officials'] },
  CIVILIANS: { side: 'CIVILIAN', words: ['civilians', 'passers-by', 'villagers'] },
  MIGRANT_WORKERS: { side: 'CIVILIAN', words: ['labourers', 'migrant workers'] },
  PEOPLE: { side: 'UNSPECIFIED', words: ['people', 'persons'] },
};
/** What each kind of claimant mostly counts, by metric. */
const VICTIM_WEIGHTS: Record<string, readonly (readonly [string, number])[]> = {
  STATE: [
    ['MILITANTS', 45],
    ['SECURITY_PERSONNEL', 12],
    ['SOLDIERS', 6],
    ['POLICE', 8],
    ['CIVILIANS', 18],
    ['MIGRANT_WORKERS', 3],
    ['OFFICIALS', 2],
    ['PEOPLE', 6],
  ],
  NON_STATE_ARMED_GROUP: [
    ['SECURITY_PERSONNEL', 35],
    ['SOLDIERS', 25],
    ['POLICE', 12],
    ['OFFICIALS', 6],
    ['MILITANTS', 10],
    ['PEOPLE', 12],
  ],
  INDEPENDENT: [
    ['CIVILIANS', 40],
    ['PEOPLE', 30],
    ['POLICE', 8],
    ['SECURITY_PERSONNEL', 8],
    ['MILITANTS', 8],
    ['MIGRANT_WORKERS', 6],
  ],
};
const METRICS = [
  ['KILLED', 50],
  ['INJURED', 25],
  ['ARRESTED', 8],
  ['ABDUCTED', 7],
  ['MISSING', 4],
  ['DISPLACED', 3],
  ['SURRENDERED', 3],
] as const;
const QUANTITY_KINDS = [
  ['EXACT', 55],
  ['AT_LEAST', 15],
  ['APPROXIMATE', 12],
  ['RANGE', 8],
  ['UNQUANTIFIED', 7],
  ['AT_MOST', 3],
] as const;
const STANDALONE_KINDS = [
  ['ARMED_ATTACK', 30],
  ['SECURITY_OPERATION', 20],
  ['BOMBING', 15],
  ['CLASH', 12],
  ['ABDUCTION', 10],
  ['EXPLOSION', 8],
  ['BLOCKADE', 3],
  ['OTHER', 2],
] as const;
const PART_KINDS = [
  ['ARMED_ATTACK', 45],
  ['BOMBING', 20],
  ['CLASH', 20],
  ['ABDUCTION', 10],
  ['EXPLOSION', 5],
] as const;
const INCIDENT_WORDS: Record<string, string> = {
  COORDINATED_ATTACK: 'Coordinated attacks',
  ARMED_ATTACK: 'Armed attack',
  BOMBING: 'Bombing',
  EXPLOSION: 'Explosion',
  ABDUCTION: 'Abduction',
  BLOCKADE: 'Highway blockade',
  SECURITY_OPERATION: 'Security operation',
  CLASH: 'Clash',
  OTHER: 'Incident',
};
const RETRACTION_REASONS = [
  'The claimant withdrew the figure in a later statement.',
  'The outlet corrected its report: the figure was attributed to the wrong incident.',
  'Officials said the figure had been released in error.',
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2024, 1, 1);
const SPAN_DAYS = 730; // two years of incidents, up to 31 January 2026
/** Rows that are not about a moment (places, organisations) are dated at the synthesis epoch. */
const EPOCH = new Date(Date.UTC(2026, 1, 1)).toISOString();
const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);

function titleCase(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------------------------------

interface Org {
  id: number;
  kind: string;
  affiliation: 'STATE' | 'NON_STATE_ARMED_GROUP' | 'INDEPENDENT' | 'UNKNOWN';
  name: string;
}
interface OfficialRow {
  id: number;
  label: string;
  affiliation: Org['affiliation'];
}
interface IncidentRow {
  id: number;
  kind: string;
  start: number;
  cityId: number;
  cityName: string;
  magnitude: number;
  perpetratorId: number | null;
}
interface Claimant {
  key: string;
  kind: 'OFFICIAL' | 'ORGANISATION' | 'UNNAMED_GROUP' | 'UNNAMED_PERSON';
  officialId: number | null;
  organisationId: number | null;
  description: string;
  affiliation: Org['affiliation'];
}
interface StandingFigure {
  id: number;
  metric: string;
  victim: string;
  low: number | null;
  madeAt: number;
}

/** Figure counts per statement (1–3, 40/40/20) adjusted to sum to exactly `figures`. */
function figuresPerStatement(random: Random, statements: number, figures: number): number[] {
  const counts = Array.from({ length: statements }, () =>
    random.weighted([
      [1, 40],
      [2, 40],
      [3, 20],
    ] as const),
  );
  let sum = counts.reduce((a, b) => a + b, 0);
  while (sum !== figures) {
    const i = random.int(0, statements - 1);
    if (sum < figures && counts[i]! < 3) counts[i]!++, sum++;
    else if (sum > figures && counts[i]! > 1) counts[i]!--, sum--;
  }
  return counts;
}

export async function synthesise(prisma: PrismaClient, options: SynthOptions): Promise<SynthResult> {
  const { figures: figureCount, seed } = options;
  if (!Number.isInteger(figureCount) || figureCount < 10) throw new Error('--figures must be an integer of at least 10');
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error('--seed must be an integer from 0 to 4294967295');
  const chunkSize = options.chunkSize ?? 5_000;
  const started = performance.now();
  const random = new Random(seed);
  const ext = (entity: string, n: number) => `synth-${seed}-${entity}-${n}`;

  const statementCount = Math.max(1, Math.round(figureCount / 1.8));
  const incidentCount = Math.max(1, Math.min(statementCount, Math.round(statementCount / 3.5)));
  const officialCount = Math.min(20_000, Math.max(300, Math.round(figureCount / 5)));

  const buffers = Object.fromEntries(ORDER.map((t) => [t, new Buffer(TABLES[t])])) as Record<TableName, Buffer>;

  await prisma.$transaction(
    async (tx) => {
      const already = await tx.$queryRaw<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM "ExternalId" WHERE "ownerId" = 0 AND "entityType" = 'Place' AND "externalId" = ${ext('place', 1)}`;
      if (already[0]!.n > 0) throw new SynthAlreadyPresentError(seed);

      // Ids continue after what the database already holds: one read per table, no read-backs.
      const maxima = await tx.$queryRaw<{ t: string; m: number }[]>`${Prisma.join(
        WITH_ID.map((t) => Prisma.sql`SELECT ${t}::text AS t, COALESCE(MAX(id), 0)::int AS m FROM ${Prisma.raw(`"${t}"`)}`),
        ' UNION ALL ',
      )}`;
      const next = Object.fromEntries(maxima.map(({ t, m }) => [t, m])) as Record<string, number>;
      const newId = (table: TableName) => ++next[table]!;

      const flushAll = async () => {
        for (const t of ORDER) await buffers[t].flush(tx);
      };
      const push = async (table: TableName, row: Value[]) => {
        if (NAMED.has(table)) {
          const [id, externalId, ...rest] = row;
          buffers.ExternalId.push([0, table, externalId!, id!, rest.at(-1)!]);
          buffers[table].push([id!, ...rest]);
        } else buffers[table].push(row);
        if (buffers[table].rows.length >= chunkSize) await flushAll();
      };

      // --- Places: country > 8 provinces > 60 districts > 400 cities.
      const usedNames = new Set<string>();
      const placeName = () => {
        for (;;) {
          const n = titleCase(Array.from({ length: random.int(2, 3) }, () => random.pick(SYLLABLES)).join(''));
          if (!usedNames.has(n)) return (usedNames.add(n), n);
        }
      };
      let placeNo = 0;
      const addPlace = async (name: string, kind: string, parentId: number | null, lat: number, lon: number, aliases: string[] = []) => {
        const id = newId('Place');
        await push('Place', [
          id,
          ext('place', ++placeNo),
          name,
          aliases as unknown as Value,
          kind,
          parentId,
          Math.round(lat * 1e4) / 1e4,
          Math.round(lon * 1e4) / 1e4,
          EPOCH,
          EPOCH,
        ]);
        return id;
      };
      const countryName = placeName() + 'istan';
      const countryId = await addPlace(countryName, 'COUNTRY', null, 30, 68);
      const provinces: { id: number; lat: number; lon: number }[] = [];
      for (let i = 0; i < 8; i++) {
        const lat = 25 + random.next() * 10,
          lon = 61 + random.next() * 12;
        provinces.push({ id: await addPlace(placeName(), 'PROVINCE', countryId, lat, lon), lat, lon });
      }
      const districts: { id: number; name: string; province: number; lat: number; lon: number }[] = [];
      for (let i = 0; i < 60; i++) {
        const p = i < 8 ? i : random.int(0, 7);
        const lat = provinces[p]!.lat + (random.next() - 0.5) * 2,
          lon = provinces[p]!.lon + (random.next() - 0.5) * 2;
        const name = placeName();
        districts.push({ id: await addPlace(`${name} District`, 'DISTRICT', provinces[p]!.id, lat, lon, [name]), name, province: p, lat, lon });
      }
      const cities: { id: number; name: string; district: number }[] = [];
      for (let i = 0; i < 400; i++) {
        const d = i < 60 ? i : random.int(0, 59);
        const name = i < 60 ? districts[d]!.name : placeName();
        const lat = districts[d]!.lat + (random.next() - 0.5) * 0.5,
          lon = districts[d]!.lon + (random.next() - 0.5) * 0.5;
        cities.push({ id: await addPlace(name, 'CITY', districts[d]!.id, lat, lon), name, district: d });
      }

      // --- Organisations.
      const orgs: Org[] = [];
      let orgNo = 0;
      const addOrg = async (kind: string, affiliation: Org['affiliation'], name: string, aliases: string[], description: string | null) => {
        const id = newId('Organisation');
        await push('Organisation', [id, ext('organisation', ++orgNo), name, aliases as unknown as Value, kind, countryId, description, EPOCH, EPOCH]);
        const org = { id, kind, affiliation, name };
        orgs.push(org);
        return org;
      };
      const abbreviation = (name: string) =>
        name
          .split(/\s+/)
          .filter((w) => /^[A-Z]/.test(w))
          .map((w) => w[0])
          .join('');
      for (let i = 0; i < 40; i++) {
        const region = random.pick(districts).name;
        const name = `${region} ${random.pick(['Liberation Army', 'Liberation Front', 'Republican Army', 'Resistance Movement', 'Tigers', 'Defence Front'])}${i >= 20 ? ` (${random.pick(['Jeeyand', 'Azad', 'Bashir', 'Hyrbyair'])} faction)` : ''}`;
        await addOrg('ARMED_GROUP', 'NON_STATE_ARMED_GROUP', name, [abbreviation(name)], `An armed group active in ${region}`);
      }
      for (let i = 0; i < 12; i++) {
        const name =
          i === 0 ? `${countryName} Army` : `${random.pick(districts).name} ${random.pick(['Frontier Corps', 'Scouts', 'Rangers', 'Counter-Terrorism Force'])}`;
        await addOrg(i < 4 ? 'MILITARY' : 'SECURITY_FORCES', 'STATE', name, [abbreviation(name)], null);
      }
      for (let i = 0; i < 28; i++) {
        const name =
          i < 8
            ? `${random.pick(districts).name} Province Police`
            : `${random.pick(districts).name} ${random.pick(['Levies', 'District Police', 'Counter Terrorism Department'])}`;
        await addOrg('POLICE', 'STATE', name, random.chance(0.6) ? [abbreviation(name)] : [], null);
      }
      for (let i = 0; i < 60; i++) {
        const kind = i < 10 ? 'GOVERNMENT' : 'GOVERNMENT_BODY';
        const name =
          i < 10
            ? `Government of ${i === 0 ? countryName : random.pick(districts).name + ' Province'}`
            : `${random.pick(['Ministry of Interior', 'Home Department', 'Provincial Disaster Management Authority', 'Information Department', 'District Administration', 'Inter-Services Public Relations'])} ${random.pick(districts).name}`;
        await addOrg(kind, 'STATE', name, random.chance(0.5) ? [abbreviation(name)] : [], null);
      }
      const agencies: Org[] = [];
      for (let i = 0; i < 20; i++) {
        const name = `${random.pick(['Associated', 'United', 'National', 'Frontier', 'Global', 'Asian'])} ${random.pick(['Press', 'News Agency', 'Wire', 'Press International'])}${i >= 10 ? ` ${i}` : ''}`;
        agencies.push(await addOrg('NEWS_AGENCY', 'INDEPENDENT', name, [abbreviation(name)], 'A news agency'));
      }
      const outlets: Org[] = [];
      for (let i = 0; i < 90; i++) {
        const name = `The ${random.pick(['Daily', 'Evening', 'Weekly', 'Morning'])} ${random.pick(['Express', 'Herald', 'Times', 'Tribune', 'Dawn', 'Observer', 'Post', 'Chronicle'])}${i >= 32 ? ` (${random.pick(districts).name})` : ''}`;
        outlets.push(await addOrg('NEWS_OUTLET', 'INDEPENDENT', name, random.chance(0.3) ? [name.replace(/^The /, '')] : [], null));
      }
      for (let i = 0; i < 25; i++)
        await addOrg(
          'HOSPITAL',
          'INDEPENDENT',
          `${random.pick(districts).name} ${random.pick(['District Headquarters Hospital', 'Civil Hospital', 'Teaching Hospital'])}`,
          [],
          null,
        );
      for (let i = 0; i < 25; i++) {
        const name = `${random.pick(['Human Rights', 'Voice for', 'Families of', 'Peace'])} ${random.pick(['Commission', 'Missing Persons', 'Council', 'Watch'])} ${random.pick(districts).name}`;
        await addOrg('NGO', 'INDEPENDENT', name, [abbreviation(name)], null);
      }
      const armedGroups = orgs.filter((o) => o.kind === 'ARMED_GROUP');
      const stateOrgs = orgs.filter((o) => o.affiliation === 'STATE');
      const forces = orgs.filter((o) => ['MILITARY', 'SECURITY_FORCES', 'POLICE'].includes(o.kind));
      const independents = orgs.filter((o) => o.kind === 'HOSPITAL' || o.kind === 'NGO');

      // --- Officials and their roles.
      const officials: OfficialRow[] = [];
      for (let i = 1; i <= officialCount; i++) {
        const id = newId('Official');
        const named = random.chance(0.85);
        const name = named ? `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}` : null;
        const org = random.weighted([
          [stateOrgs, 75],
          [armedGroups, 12],
          [independents, 13],
        ] as const);
        const organisation = random.pick(org);
        const district = random.pick(districts);
        const [title, placeId] =
          organisation.kind === 'ARMED_GROUP'
            ? [random.pick(['spokesman', 'commander']), null]
            : organisation.kind === 'GOVERNMENT_BODY' && random.chance(0.4)
              ? ['deputy commissioner', district.id]
              : organisation.kind === 'POLICE'
                ? [random.pick(['senior superintendent of police', 'inspector general', 'station house officer']), random.chance(0.5) ? district.id : null]
                : [random.pick(['spokesperson', 'minister', 'director general', 'medical superintendent', 'chairperson']), null];
        const description = named ? null : `the ${title} of the ${organisation.name}`;
        await push('Official', [
          id,
          ext('official', i),
          name,
          description,
          (name && random.chance(0.2) ? [name.split(' ')[1]!] : []) as unknown as Value,
          EPOCH,
          EPOCH,
        ]);
        const since = START - random.int(0, 1500) * DAY;
        await push('OfficialRole', [newId('OfficialRole'), id, title, organisation.id, placeId, day(since), null]);
        if (random.chance(0.3)) {
          const earlier = since - random.int(200, 1500) * DAY;
          await push('OfficialRole', [
            newId('OfficialRole'),
            id,
            random.pick(['spokesperson', 'deputy director', 'superintendent']),
            random.pick(org).id,
            null,
            day(earlier),
            day(since - DAY),
          ]);
        }
        officials.push({ id, label: name ? `${titleCase(title)} ${name}` : titleCase(description!), affiliation: organisation.affiliation });
      }

      // --- Incidents: standalone ones and campaigns with their parts, in date order.
      const partCount = Math.round(incidentCount * 0.2);
      const campaignCount = partCount > 0 ? Math.max(1, Math.round(partCount / 3.5)) : 0;
      const partsPer = Array.from({ length: campaignCount }, () => 2);
      for (let left = partCount - 2 * campaignCount; left > 0; ) {
        const c = random.int(0, campaignCount - 1);
        if (partsPer[c]! < 5 || random.chance(0.05)) partsPer[c]!++, left--;
      }
      const standaloneCount = Math.max(0, incidentCount - campaignCount - partCount);
      const events = [
        ...Array.from({ length: standaloneCount }, () => ({ parts: 0, day: random.int(0, SPAN_DAYS - 1) })),
        ...partsPer.map((parts) => ({ parts, day: random.int(0, SPAN_DAYS - 1) })),
      ].sort((a, b) => a.day - b.day);
      const incidents: IncidentRow[] = [];
      const campaignOf = new Map<number, IncidentRow>(); // part id -> parent
      let incidentNo = 0;
      const addIncident = async (
        kind: string,
        start: number,
        city: (typeof cities)[number],
        magnitude: number,
        parentId: number | null,
        ended: number | null,
      ) => {
        const id = newId('Incident');
        const perpetratorId = ['SECURITY_OPERATION', 'BLOCKADE', 'OTHER'].includes(kind) ? null : random.chance(0.7) ? random.pick(armedGroups).id : null;
        const title =
          kind === 'COORDINATED_ATTACK'
            ? `${INCIDENT_WORDS[kind]} across ${districts[city.district]!.name} District`
            : `${INCIDENT_WORDS[kind]} in ${city.name}`;
        await push('Incident', [
          id,
          ext('incident', ++incidentNo),
          title,
          kind,
          null,
          iso(start),
          ended === null ? null : iso(ended),
          'DAY',
          parentId,
          iso(start + DAY),
          iso(start + DAY),
        ]);
        await push('IncidentPlace', [id, city.id]);
        if (perpetratorId !== null) await push('IncidentParticipant', [newId('IncidentParticipant'), id, 'PERPETRATOR', perpetratorId, 'militants']);
        if (kind !== 'ABDUCTION' && random.chance(0.5))
          await push('IncidentParticipant', [
            newId('IncidentParticipant'),
            id,
            kind === 'SECURITY_OPERATION' ? 'OPERATOR' : 'TARGET',
            random.pick(forces).id,
            kind === 'SECURITY_OPERATION' ? 'security forces' : 'a security forces post',
          ]);
        const row = { id, kind, start, cityId: city.id, cityName: city.name, magnitude, perpetratorId };
        incidents.push(row);
        return row;
      };
      for (const event of events) {
        const start = START + event.day * DAY;
        if (event.parts === 0) {
          const kind = random.weighted(STANDALONE_KINDS);
          await addIncident(kind, start, random.pick(cities), random.magnitude(kind === 'SECURITY_OPERATION' ? 8 : 4), null, null);
          continue;
        }
        const days = random.chance(0.7) ? 0 : random.int(1, 3);
        const province = districts[random.pick(cities).district]!.province;
        const provinceCities = cities.filter((c) => districts[c.district]!.province === province);
        const magnitudes = Array.from({ length: event.parts }, () => random.magnitude(6));
        const kind = random.chance(0.8) ? 'COORDINATED_ATTACK' : 'SECURITY_OPERATION';
        const parent = await addIncident(
          kind,
          start,
          random.pick(provinceCities),
          magnitudes.reduce((a, b) => a + b, 0),
          null,
          days > 0 ? start + days * DAY : null,
        );
        for (const magnitude of magnitudes) {
          const part = await addIncident(
            kind === 'SECURITY_OPERATION' ? 'CLASH' : random.weighted(PART_KINDS),
            start + random.int(0, days) * DAY,
            random.pick(provinceCities),
            magnitude,
            parent.id,
            null,
          );
          campaignOf.set(part.id, parent);
        }
      }

      // --- Statements, their sources and figures, incident by incident in time order.
      const perIncident = incidents.map(() => 1);
      const weightedIncidents = incidents.flatMap((inc, i) =>
        inc.kind === 'COORDINATED_ATTACK' || (inc.kind === 'SECURITY_OPERATION' && !campaignOf.has(inc.id)) ? [i, i, i, i] : [i],
      );
      for (let left = statementCount - incidents.length; left > 0; left--) perIncident[random.pick(weightedIncidents)]!++;
      const figuresPer = figuresPerStatement(random, statementCount, figureCount);
      let statementNo = 0,
        figureNo = 0,
        sourceNo = 0;

      const newClaimant = (incident: IncidentRow): Claimant => {
        const kind = random.weighted([
          ['ORGANISATION', 40],
          ['OFFICIAL', 30],
          ['UNNAMED_GROUP', 22],
          ['UNNAMED_PERSON', 8],
        ] as const);
        if (kind === 'ORGANISATION') {
          const side = random.weighted([
            ['STATE', 45],
            ['NON_STATE_ARMED_GROUP', 40],
            ['INDEPENDENT', 15],
          ] as const);
          const org =
            side === 'STATE'
              ? random.pick(stateOrgs)
              : side === 'INDEPENDENT'
                ? random.pick(independents)
                : incident.perpetratorId !== null && random.chance(0.8)
                  ? orgs.find((o) => o.id === incident.perpetratorId)!
                  : random.pick(armedGroups);
          return { key: `o${org.id}`, kind, officialId: null, organisationId: org.id, description: org.name, affiliation: org.affiliation };
        }
        if (kind === 'OFFICIAL') {
          const official = random.pick(officials);
          return {
            key: `p${official.id}`,
            kind,
            officialId: official.id,
            organisationId: null,
            description: official.label,
            affiliation: official.affiliation,
          };
        }
        const [description, affiliation] = random.pick(kind === 'UNNAMED_GROUP' ? UNNAMED_GROUPS : UNNAMED_PERSONS);
        return { key: `u${description}`, kind, officialId: null, organisationId: null, description, affiliation };
      };

      const quantity = (base: number): [string, number | null, number | null, string] => {
        const kind = random.weighted(QUANTITY_KINDS);
        const v = Math.max(1, Math.round(base * (0.7 + random.next() * 0.6)));
        switch (kind) {
          case 'EXACT':
            return [kind, v, v, v < NUMBER_WORDS.length && random.chance(0.6) ? NUMBER_WORDS[v]! : String(v)];
          case 'APPROXIMATE': {
            const r = v > 12 ? Math.round(v / 5) * 5 : v;
            return [kind, r, r, `${random.pick(['some', 'about', 'around', 'nearly', 'roughly'])} ${r}`];
          }
          case 'AT_LEAST':
            return [kind, v, null, `${random.pick(['at least', 'at least', 'no fewer than'])} ${v}`];
          case 'AT_MOST':
            return [kind, null, v, `up to ${v}`];
          case 'RANGE': {
            const high = v + 1 + random.int(0, Math.max(1, Math.round(v * 0.5)));
            return [kind, v, high, random.chance(0.5) ? `between ${v} and ${high}` : `${v} to ${high}`];
          }
          default:
            return [kind, null, null, v >= 24 ? random.pick(['dozens', 'scores', 'many']) : random.pick(['several', 'a number of', 'some', 'many'])];
        }
      };

      let statementIndex = 0;
      for (let i = 0; i < incidents.length; i++) {
        const incident = incidents[i]!;
        const n = perIncident[i]!;
        const times = Array.from({ length: n }, () => random.int(1, 72 * 60))
          .sort((a, b) => a - b)
          .map((m, k) => incident.start + (m + k) * 60_000);
        const claimants: Claimant[] = [];
        /** Each claimant's standing figures on this incident, by metric and victim category. */
        const standing = new Map<string, Map<string, StandingFigure>>();
        // Sources carrying this incident's statements: 1–2 articles, one wire report.
        const lastTime = times[times.length - 1]!;
        const article = async () => {
          const id = newId('Source');
          const outlet = random.pick(outlets);
          await push('Source', [
            id,
            ext('source', ++sourceNo),
            `${INCIDENT_WORDS[incident.kind]} in ${incident.cityName}: what we know`,
            `${outlet.name} report`,
            'NEWS_ARTICLE',
            outlet.id,
            iso(lastTime + random.int(1, 12) * HOUR),
            iso(lastTime + DAY),
            iso(lastTime + DAY),
          ]);
          return id;
        };
        const articles = [await article(), ...(n > 3 ? [await article()] : [])];
        let wire: number | null = null;

        for (let s = 0; s < n; s++, statementIndex++) {
          const madeAt = times[s]!;
          const followUp = s > 0 && random.chance(0.14);
          const claimant = followUp ? random.pick(claimants) : newClaimant(incident);
          claimants.push(claimant);
          const id = newId('Statement');
          const mine = standing.get(claimant.key) ?? new Map<string, StandingFigure>();
          standing.set(claimant.key, mine);

          // Figures: a follow-up revises its claimant's standing figures; others count afresh.
          const wanted = figuresPer[statementIndex]!;
          const revisable = followUp ? [...mine.values()].filter((f) => f.madeAt < madeAt) : [];
          const chosen = new Set<string>();
          const lines: string[] = [];
          const figureRows: Value[][] = [];
          const breakdownRows: Value[][] = [];
          for (let k = 0; k < wanted; k++) {
            const revised = revisable[k];
            let metric: string, victim: string;
            if (revised) [metric, victim] = [revised.metric, revised.victim];
            else {
              let tries = 0;
              do {
                metric = random.weighted(METRICS);
                victim = METRIC_VICTIMS[metric]
                  ? random.pick(METRIC_VICTIMS[metric]!)
                  : random.weighted(VICTIM_WEIGHTS[claimant.affiliation] ?? VICTIM_WEIGHTS.INDEPENDENT!);
              } while ((chosen.has(`${metric}:${VICTIMS[victim]!.side}`) || mine.has(`${metric}:${victim}`)) && ++tries < 20);
              if (tries >= 20) continue;
            }
            const side = VICTIMS[victim]!.side;
            chosen.add(`${metric}:${side}`);
            const scale = metric === 'KILLED' ? 1 : metric === 'INJURED' ? 1.5 : 0.5;
            const base = revised ? Math.max(revised.low ?? 0, incident.magnitude * scale) * (1 + random.next() * 0.5) : incident.magnitude * scale;
            const [kind, low, high, phrase] = quantity(Math.max(1, base));
            const figureId = newId('Figure');
            const words = random.pick(VICTIMS[victim]!.words);
            const retracted = random.chance(0.01);
            const counted = side === 'STATE_FORCES' && random.chance(0.3) ? random.pick(forces).id : null;
            figureRows.push([
              figureId,
              ext('figure', ++figureNo),
              id,
              incident.id,
              metric,
              victim,
              side,
              counted,
              words,
              incident.cityId,
              kind,
              low,
              high,
              phrase,
              revised ? revised.id : null,
              retracted ? iso(madeAt + random.int(2, 96) * HOUR) : null,
              retracted ? random.pick(RETRACTION_REASONS) : null,
              retracted ? 2 : 1,
              iso(madeAt),
              iso(madeAt),
            ]);
            if (kind === 'EXACT' && low! >= 3 && random.chance(0.03)) {
              const a = random.int(1, low! - 2),
                b = random.int(1, low! - a - 1);
              const parts = [
                ['men', a],
                ['women', b],
                ['children', low! - a - b],
              ] as const;
              for (let p = 0; p < 3; p++) breakdownRows.push([newId('FigureBreakdownItem'), figureId, parts[p]![0], parts[p]![1], p]);
            }
            mine.set(`${metric}:${victim}`, { id: figureId, metric, victim, low, madeAt });
            lines.push(`${phrase} ${words} ${METRIC_VERB[metric]}`);
          }

          const statementKind =
            claimant.affiliation === 'NON_STATE_ARMED_GROUP'
              ? random.weighted([
                  ['RESPONSIBILITY_CLAIM', 50],
                  ['CASUALTY_REPORT', 40],
                  ['DENIAL', 10],
                ] as const)
              : claimant.affiliation === 'STATE'
                ? random.weighted([
                    ['CASUALTY_REPORT', 60],
                    ['OPERATION_REPORT', 20],
                    ['SITUATION_REPORT', 10],
                    ['CONDEMNATION', 10],
                  ] as const)
                : random.weighted([
                    ['CASUALTY_REPORT', 70],
                    ['SITUATION_REPORT', 30],
                  ] as const);
          const verification = random.weighted([
            ['NOT_ASSESSED', 60],
            ['UNVERIFIED', 25],
            ['VERIFIED', 10],
            ['DISPUTED', 4],
            ['FALSE', 1],
          ] as const);
          const verifier = verification === 'NOT_ASSESSED' ? null : random.pick(agencies);
          const note =
            verifier === null
              ? null
              : verification === 'UNVERIFIED'
                ? `${verifier.name} could not independently verify the claim.`
                : verification === 'VERIFIED'
                  ? `${verifier.name} confirmed the figures with hospital records.`
                  : `${verifier.name} found the claim contradicted by other accounts.`;
          const retracted = random.chance(0.003);
          const text = `${titleCase(claimant.description)} said ${lines.join(' and ') || 'there were casualties'} in ${incident.cityName}${followUp ? ', updating an earlier toll' : ''}.`;
          await push('Statement', [
            id,
            ext('statement', ++statementNo),
            statementKind,
            claimant.kind,
            claimant.officialId,
            claimant.organisationId,
            claimant.description,
            claimant.affiliation,
            iso(madeAt),
            text,
            random.chance(0.3),
            verification,
            note,
            verifier?.id ?? null,
            retracted ? iso(madeAt + random.int(6, 240) * HOUR) : null,
            retracted ? 'The claimant withdrew the statement.' : null,
            iso(madeAt),
            iso(madeAt),
          ]);
          await push('StatementIncident', [id, incident.id]);
          // Written after their statement, so a chunk never holds a figure without it.
          for (const row of figureRows) await push('Figure', row);
          for (const row of breakdownRows) await push('FigureBreakdownItem', row);

          // Source chain: the article the reader saw, then a wire report, then the original.
          await push('StatementSource', [id, 0, random.pick(articles)]);
          const length = random.weighted([
            [1, 45],
            [2, 40],
            [3, 15],
          ] as const);
          if (length >= 2) {
            if (wire === null) {
              wire = newId('Source');
              const agency = random.pick(agencies);
              await push('Source', [
                wire,
                ext('source', ++sourceNo),
                null,
                `${agency.name} report`,
                'NEWS_AGENCY_REPORT',
                agency.id,
                iso(lastTime + HOUR),
                iso(lastTime + DAY),
                iso(lastTime + DAY),
              ]);
            }
            await push('StatementSource', [id, 1, wire]);
          }
          if (length === 3) {
            const original = newId('Source');
            const [kind, what] = random.pick([
              ['PRESS_RELEASE', 'Press release'],
              ['SOCIAL_MEDIA_VIDEO', 'Video statement'],
              ['OFFICIAL_STATEMENT', 'Official statement'],
              ['SOCIAL_MEDIA_POST', 'Social media post'],
            ] as const);
            await push('Source', [
              original,
              ext('source', ++sourceNo),
              null,
              `${what} by ${claimant.description}`,
              kind,
              claimant.organisationId,
              iso(madeAt),
              iso(madeAt),
              iso(madeAt),
            ]);
            await push('StatementSource', [id, 2, original]);
          }
        }
      }
      await flushAll();
      // The rows went in past the writes, so the kept positions are rebuilt from them.
      await rebuildStandings(tx);

      // Move each id sequence past the ids written here.
      for (const t of WITH_ID) {
        const last = next[t]!;
        await tx.$queryRaw`SELECT setval(pg_get_serial_sequence(${`"${t}"`}, 'id'), ${Math.max(last, 1)}::int, ${last > 0})`;
      }
    },
    { timeout: 4 * 3_600_000, maxWait: 60_000 },
  );

  // Fresh statistics for the planner and a visibility map for index-only scans (PGlite never
  // autovacuums; on a server it saves waiting for autovacuum, docs/query-plans.md).
  await prisma.$executeRaw`VACUUM (ANALYZE) ${Prisma.raw([...ORDER, 'StandingPosition', 'StandingSpread'].map((t) => `"${t}"`).join(', '))}`;

  const counts = Object.fromEntries(ORDER.map((t) => [t, buffers[t].written]));
  const insertMs = Object.fromEntries(ORDER.map((t) => [t, Math.round(buffers[t].insertMs)]));
  return { counts, rows: Object.values(counts).reduce((a, b) => a + b, 0), elapsedMs: performance.now() - started, insertMs };
}
