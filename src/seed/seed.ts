// Loads the seed article's data (prisma/seed/seed-article.json) into the database.
//
// The file is data, not code: each section is described once in SECTIONS below (which JSON
// field becomes which column, which enum it must belong to, which section a key points to),
// and one generic loop validates and writes every record of every section.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  ClaimantAffiliation,
  ClaimantKind,
  DatePrecision,
  FigureMetric,
  IncidentKind,
  OrganisationKind,
  ParticipantRole,
  PlaceKind,
  QuantityKind,
  Side,
  SourceKind,
  StatementKind,
  VerificationStatus,
  VictimCategory,
  type Prisma,
  type PrismaClient,
} from '../generated/prisma/client.js';

export const DEFAULT_SEED_FILE = fileURLToPath(
  new URL('../../prisma/seed/seed-article.json', import.meta.url),
);

/** Every seeded record's externalId is this prefix plus its key in the file. */
export const EXTERNAL_ID_PREFIX = 'seed:';

type SectionName =
  | 'places'
  | 'organisations'
  | 'officials'
  | 'sources'
  | 'incidents'
  | 'statements'
  | 'figures'
  | 'participants';

type ScalarField = { type: 'text' | 'int' | 'bool' | 'date' | 'texts'; column?: string; required?: boolean };
type EnumField = { type: 'enum'; values: readonly string[]; column?: string; required?: boolean };
/** A key of another record; the column defaults to `<field>Id`. */
type RefField = { type: 'ref'; section: SectionName; column?: string; required?: boolean };
type Field =
  | ScalarField
  | EnumField
  | RefField
  /** A JSON object whose fields are columns of the same row (a statement's claimant). */
  | { type: 'group'; fields: Fields; required?: boolean }
  /** A list of keys, each becoming a join row; `ordered` stores the list index as `position`. */
  | { type: 'refs'; section: SectionName; model: string; relation?: string; joinColumn: string; ordered?: boolean; required?: boolean }
  /** `{ label: count }`, each becoming a row with label, count and position (a breakdown). */
  | { type: 'counts'; model: string; relation?: string; required?: boolean }
  /** A list of owned rows without keys of their own (an official's roles). */
  | { type: 'rows'; model: string; relation?: string; fields: Fields; required?: boolean }
  /** Records of another section, written in the file under their owner for readability. */
  | { type: 'section'; section: SectionName };
type Fields = Record<string, Field>;

interface SectionSpec {
  /** The Prisma client delegate. */
  model: string;
  /** Keyed records get an externalId; keyless ones exist only as part of their owner. */
  keyed: boolean;
  /** Set for sections nested in another: the foreign key that points to the owner. */
  ownerColumn?: string;
  fields: Fields;
}

const text = (required = false): ScalarField => ({ type: 'text', required });
const oneOf = (values: Record<string, string>, required = false): EnumField => ({
  type: 'enum',
  values: Object.values(values),
  required,
});
const ref = (section: SectionName, required = false): RefField => ({ type: 'ref', section, required });
const date = (): ScalarField => ({ type: 'date' });

// Sections are written in this order, so a reference to another section always points to one
// already written; references within a section (a parent, a superseded figure) are set once
// the whole section exists. Figures and participants come last because they point to
// statements, and are nested in the file under their statement and incident.
const SECTIONS: Record<SectionName, SectionSpec> = {
  places: {
    model: 'place',
    keyed: true,
    fields: {
      name: text(true),
      aliases: { type: 'texts' },
      kind: oneOf(PlaceKind, true),
      parent: ref('places'),
      description: text(),
    },
  },
  organisations: {
    model: 'organisation',
    keyed: true,
    fields: {
      name: text(true),
      aliases: { type: 'texts' },
      kind: oneOf(OrganisationKind, true),
      country: ref('places'),
      parent: ref('organisations'),
      description: text(),
      notes: text(),
    },
  },
  officials: {
    model: 'official',
    keyed: true,
    fields: {
      name: text(),
      description: text(),
      aliases: { type: 'texts' },
      roles: {
        type: 'rows',
        model: 'officialRole',
        fields: {
          title: text(true),
          organisation: ref('organisations'),
          place: ref('places'),
          startedOn: date(),
          endedOn: date(),
        },
      },
    },
  },
  sources: {
    model: 'source',
    keyed: true,
    fields: {
      title: text(),
      description: text(true),
      kind: oneOf(SourceKind, true),
      publisher: ref('organisations'),
      byline: text(),
      url: text(),
      publishedAt: date(),
    },
  },
  incidents: {
    model: 'incident',
    keyed: true,
    fields: {
      title: text(true),
      kind: oneOf(IncidentKind, true),
      description: text(),
      startedAt: date(),
      endedAt: date(),
      datePrecision: oneOf(DatePrecision),
      parent: ref('incidents'),
      places: { type: 'refs', section: 'places', model: 'incidentPlace', joinColumn: 'placeId' },
      participants: { type: 'section', section: 'participants' },
    },
  },
  statements: {
    model: 'statement',
    keyed: true,
    fields: {
      kind: oneOf(StatementKind, true),
      claimant: {
        type: 'group',
        required: true,
        fields: {
          kind: { ...oneOf(ClaimantKind, true), column: 'claimantKind' },
          description: { ...text(true), column: 'claimantDescription' },
          affiliation: { ...oneOf(ClaimantAffiliation, true), column: 'claimantAffiliation' },
          official: ref('officials'),
          organisation: ref('organisations'),
        },
      },
      madeAt: date(),
      madeAtPrecision: oneOf(DatePrecision),
      text: text(true),
      isDirectQuote: { type: 'bool' },
      verification: {
        type: 'group',
        fields: {
          status: { ...oneOf(VerificationStatus, true), column: 'verification' },
          by: { ...ref('organisations'), column: 'verifiedById' },
          note: { ...text(), column: 'verificationNote' },
        },
      },
      sourceChain: {
        type: 'refs',
        section: 'sources',
        model: 'statementSource',
        relation: 'sources',
        joinColumn: 'sourceId',
        ordered: true,
        required: true,
      },
      incidents: { type: 'refs', section: 'incidents', model: 'statementIncident', joinColumn: 'incidentId' },
      figures: { type: 'section', section: 'figures' },
    },
  },
  figures: {
    model: 'figure',
    keyed: true,
    ownerColumn: 'statementId',
    fields: {
      metric: oneOf(FigureMetric, true),
      victimCategory: oneOf(VictimCategory, true),
      side: oneOf(Side, true),
      countedOrganisation: ref('organisations'),
      victimDescription: text(true),
      incident: ref('incidents'),
      place: ref('places'),
      quantityKind: oneOf(QuantityKind, true),
      low: { type: 'int' },
      high: { type: 'int' },
      phrase: text(true),
      supersedes: ref('figures'),
      breakdown: { type: 'counts', model: 'figureBreakdownItem' },
    },
  },
  participants: {
    model: 'incidentParticipant',
    keyed: false,
    ownerColumn: 'incidentId',
    fields: {
      role: oneOf(ParticipantRole, true),
      organisation: ref('organisations'),
      official: ref('officials'),
      description: text(true),
      basis: ref('statements'),
    },
  },
};

const ORDER = Object.keys(SECTIONS) as SectionName[];

/** A reference by key, resolved to an id only inside the transaction. */
class KeyRef {
  constructor(
    readonly section: SectionName,
    readonly key: string,
  ) {}
}

type Value = string | number | boolean | Date | string[] | null | KeyRef;
type Columns = Record<string, Value>;

/** One record of the file, validated, ready to write once its references are resolved. */
interface Row {
  key: string | null;
  owner: KeyRef | null;
  columns: Columns;
  /** Rows created together with this one, by relation name. */
  joins: Record<string, { model: string; rows: Columns[] }>;
}

export type SeedPlan = Record<SectionName, Row[]>;

export class SeedFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid seed file:\n  ${problems.join('\n  ')}`);
    this.name = 'SeedFileError';
  }
}

interface Raw {
  key: string | null;
  label: string;
  owner: KeyRef | null;
  body: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
// Fields starting with '$' are comments for the reader.
const isComment = (name: string) => name.startsWith('$');
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Checks the whole file and reports every problem at once, each naming its record and field. */
export function parseSeed(json: unknown): SeedPlan {
  const problems: string[] = [];
  const raws = Object.fromEntries(ORDER.map((s) => [s, [] as Raw[]])) as Record<SectionName, Raw[]>;
  const nested = new Set(
    ORDER.flatMap((s) =>
      Object.values(SECTIONS[s].fields).flatMap((f) => (f.type === 'section' ? [f.section] : [])),
    ),
  );

  // Pass 1: collect every record and its key, so references may point forwards.
  const collect = (section: SectionName, items: unknown, where: string, owner: KeyRef | null) => {
    if (!Array.isArray(items)) return void problems.push(`${where}: must be a list`);
    items.forEach((item, i) => {
      const spec = SECTIONS[section];
      if (!isObject(item)) return void problems.push(`${where}[${i}]: must be an object`);
      const key = spec.keyed ? item.key : null;
      if (spec.keyed && (typeof key !== 'string' || key === '')) {
        return void problems.push(`${where}[${i}]: field "key" must be a non-empty string`);
      }
      const label = key !== null ? `${section} "${key}"` : `${where}[${i}]`;
      if (key !== null && raws[section].some((r) => r.key === key)) {
        problems.push(`${label}: duplicate key`);
      }
      raws[section].push({ key: key as string | null, label, owner, body: item });
      for (const [name, field] of Object.entries(spec.fields)) {
        if (field.type === 'section' && item[name] !== undefined) {
          collect(field.section, item[name], `${label} ${name}`, key === null ? null : new KeyRef(section, key as string));
        }
      }
    });
  };
  if (!isObject(json)) throw new SeedFileError(['the file must hold a JSON object']);
  for (const [name, items] of Object.entries(json)) {
    if (isComment(name)) continue;
    if (!(name in SECTIONS) || nested.has(name as SectionName)) {
      problems.push(`unknown section "${name}"`);
      continue;
    }
    collect(name as SectionName, items, name, null);
  }
  const keys = Object.fromEntries(
    ORDER.map((s) => [s, new Set(raws[s].map((r) => r.key))]),
  ) as Record<SectionName, Set<string | null>>;

  // Pass 2: check each field against its spec and turn it into columns and join rows.
  const readFields = (fields: Fields, body: Record<string, unknown>, where: string, row: Row) => {
    for (const name of Object.keys(body)) {
      if (!isComment(name) && name !== 'key' && !(name in fields)) {
        problems.push(`${where}: unknown field "${name}"`);
      }
    }
    for (const [name, field] of Object.entries(fields)) {
      const value = body[name];
      const at = `${where}: field "${name}"`;
      if (field.type === 'section') continue;
      const column = ('column' in field && field.column) || (field.type === 'ref' ? `${name}Id` : name);
      if (value === undefined || value === null) {
        if (field.required) problems.push(`${at} is required`);
        // An explicit null ("publishedAt": null) says the article is silent; keep it as null.
        else if (value === null && !['group', 'refs', 'counts', 'rows'].includes(field.type)) row.columns[column] = null;
        continue;
      }
      const refTo = (section: SectionName, key: unknown): KeyRef | null => {
        if (typeof key === 'string' && keys[section].has(key)) return new KeyRef(section, key);
        problems.push(`${at} refers to unknown ${section} ${JSON.stringify(key)}`);
        return null;
      };
      switch (field.type) {
        case 'text':
        case 'int':
        case 'bool': {
          const ok =
            field.type === 'text' ? typeof value === 'string'
            : field.type === 'int' ? Number.isInteger(value)
            : typeof value === 'boolean';
          if (ok) row.columns[column] = value as Value;
          else problems.push(`${at} must be ${field.type === 'text' ? 'a string' : field.type === 'int' ? 'an integer' : 'true or false'}`);
          break;
        }
        case 'texts':
          if (Array.isArray(value) && value.every((v) => typeof v === 'string')) row.columns[column] = value;
          else problems.push(`${at} must be a list of strings`);
          break;
        case 'date':
          if (typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value))) {
            row.columns[column] = new Date(value);
          } else problems.push(`${at} must be a date (YYYY-MM-DD or ISO 8601 with a time zone)`);
          break;
        case 'enum':
          if (typeof value === 'string' && field.values.includes(value)) row.columns[column] = value;
          else problems.push(`${at} is ${JSON.stringify(value)}, not one of ${field.values.join(', ')}`);
          break;
        case 'ref': {
          const target = refTo(field.section, value);
          if (target) row.columns[column] = target;
          break;
        }
        case 'group':
          if (isObject(value)) readFields(field.fields, value, `${where} ${name}`, row);
          else problems.push(`${at} must be an object`);
          break;
        case 'refs':
          if (!Array.isArray(value)) {
            problems.push(`${at} must be a list of keys`);
            break;
          }
          row.joins[field.relation ?? name] = {
            model: field.model,
            rows: value.flatMap((key, position) => {
              const target = refTo(field.section, key);
              if (!target) return [];
              return [field.ordered ? { [field.joinColumn]: target, position } : { [field.joinColumn]: target }];
            }),
          };
          break;
        case 'counts':
          if (isObject(value) && Object.values(value).every((n) => Number.isInteger(n) && (n as number) >= 0)) {
            row.joins[field.relation ?? name] = {
              model: field.model,
              rows: Object.entries(value).map(([label, count], position) => ({ label, count: count as number, position })),
            };
          } else problems.push(`${at} must map labels to whole numbers`);
          break;
        case 'rows':
          if (!Array.isArray(value) || !value.every(isObject)) {
            problems.push(`${at} must be a list of objects`);
            break;
          }
          row.joins[field.relation ?? name] = {
            model: field.model,
            rows: value.map((item, i) => {
              const sub: Row = { key: null, owner: null, columns: {}, joins: {} };
              readFields(field.fields, item, `${where} ${name}[${i}]`, sub);
              return sub.columns;
            }),
          };
          break;
      }
    }
  };

  const plan = Object.fromEntries(
    ORDER.map((section) => [
      section,
      raws[section].map((raw) => {
        const row: Row = { key: raw.key, owner: raw.owner, columns: {}, joins: {} };
        readFields(SECTIONS[section].fields, raw.body, raw.label, row);
        return row;
      }),
    ]),
  ) as SeedPlan;
  if (problems.length > 0) throw new SeedFileError(problems);
  return plan;
}

export async function readSeedFile(file: string = DEFAULT_SEED_FILE): Promise<SeedPlan> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new SeedFileError([`${file}: ${(error as Error).message}`]);
  }
  return parseSeed(json);
}

// The delegates differ in type per model; the loop only needs these three calls.
interface Delegate {
  findMany(args: {
    where: { externalId: { in: string[] } };
    select: { id: true; externalId: true };
  }): Promise<{ id: number; externalId: string | null }[]>;
  create(args: { data: Record<string, unknown>; select: { id: true } }): Promise<{ id: number }>;
  update(args: { where: { id: number }; data: Record<string, unknown> }): Promise<unknown>;
}

/**
 * Writes the seed file in one transaction. A keyed record whose externalId already exists is
 * left alone, and so are the rows it owns (join rows, roles, participants): running the seed
 * twice creates nothing the second time.
 */
export async function seedDatabase(
  prisma: PrismaClient,
  file: string = DEFAULT_SEED_FILE,
): Promise<{ created: Record<string, number> }> {
  const plan = await readSeedFile(file);
  const models = ORDER.flatMap((s) => [
    SECTIONS[s].model,
    ...Object.values(SECTIONS[s].fields).flatMap((f) => ('model' in f ? [f.model] : [])),
  ]);
  const created: Record<string, number> = Object.fromEntries(models.map((m) => [m, 0]));

  await prisma.$transaction(
    async (tx: Prisma.TransactionClient) => {
      const ids = {} as Record<SectionName, Map<string, number>>;
      const createdNow = {} as Record<SectionName, Set<string>>;
      const resolve = (value: Value): Value | number => {
        if (!(value instanceof KeyRef)) return value;
        const id = ids[value.section]?.get(value.key);
        if (id === undefined) throw new Error(`seed: ${value.section} "${value.key}" was not written before use`);
        return id;
      };
      const resolveAll = (columns: Columns) =>
        Object.fromEntries(Object.entries(columns).map(([c, v]) => [c, resolve(v)]));

      for (const section of ORDER) {
        const spec = SECTIONS[section];
        const delegate = (tx as unknown as Record<string, Delegate>)[spec.model];
        ids[section] = new Map();
        createdNow[section] = new Set();
        const keys = plan[section].flatMap((row) => (row.key === null ? [] : [EXTERNAL_ID_PREFIX + row.key]));
        if (keys.length > 0) {
          const existing = await delegate.findMany({
            where: { externalId: { in: keys } },
            select: { id: true, externalId: true },
          });
          for (const { id, externalId } of existing) ids[section].set(externalId!.slice(EXTERNAL_ID_PREFIX.length), id);
        }

        const selfRefs: { id: number; columns: Columns }[] = [];
        for (const row of plan[section]) {
          // Keyless rows exist only as part of their owner: write them with a new owner only.
          const isNew = row.key !== null ? !ids[section].has(row.key) : createdNow[row.owner!.section].has(row.owner!.key);
          if (!isNew) continue;
          const data: Record<string, unknown> = {};
          const later: Columns = {};
          if (row.key !== null) data.externalId = EXTERNAL_ID_PREFIX + row.key;
          if (row.owner) data[spec.ownerColumn!] = resolve(row.owner);
          for (const [column, value] of Object.entries(row.columns)) {
            if (value instanceof KeyRef && value.section === section) later[column] = value;
            else data[column] = resolve(value);
          }
          for (const [relation, join] of Object.entries(row.joins)) {
            data[relation] = { create: join.rows.map(resolveAll) };
            created[join.model] += join.rows.length;
          }
          const { id } = await delegate.create({ data, select: { id: true } });
          created[spec.model] += 1;
          if (row.key !== null) {
            ids[section].set(row.key, id);
            createdNow[section].add(row.key);
          }
          if (Object.keys(later).length > 0) selfRefs.push({ id, columns: later });
        }
        for (const { id, columns } of selfRefs) await delegate.update({ where: { id }, data: resolveAll(columns) });
      }
    },
    // PGlite runs queries one at a time on one connection: leave a larger seed file more than
    // the 5 s default.
    { timeout: 60_000 },
  );
  return { created };
}
