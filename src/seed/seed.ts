// Loads the seed article's data (prisma/seed/seed-article.json) into the database, through the
// same write functions as every other write path: each record of the file becomes the input of
// one write (createPlace, recordStatement, …) with references by external ID ("seed:<key>"),
// checked by the same rules. The whole file is checked first, every problem reported at once
// with its record and field; then it is written in one transaction, as the local operator.
// Records already in the database (by external ID) are left alone: seeding twice creates nothing.
import { readFile } from 'node:fs/promises';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';
import { InvalidInputError } from '../rules/errors.js';
import type { EntityType } from '../rules/ids.js';
import { parseInput } from '../rules/parse.js';
import { figureInput, recordStatementInput } from '../writes/claim-inputs.js';
import { createIncident, createIncidentInput, updateIncident } from '../writes/incidents.js';
import { createOfficial, createOfficialInput } from '../writes/officials.js';
import { createOrganisation, createOrganisationInput } from '../writes/organisations.js';
import { createPlace, createPlaceInput } from '../writes/places.js';
import { externalIdsFor } from '../writes/references.js';
import { LOCAL_OPERATOR, writeTransaction, type WriteSession } from '../writes/session.js';
import { createSource, createSourceInput } from '../writes/sources.js';
import { recordStatement } from '../writes/statements.js';

import { DEFAULT_SEED_FILE } from './seed-file.js';

export { DEFAULT_SEED_FILE };

/** Every seeded record's external ID is this prefix plus its key in the file. */
export const EXTERNAL_ID_PREFIX = 'seed:';

type Section = 'places' | 'organisations' | 'officials' | 'sources' | 'incidents' | 'statements';
type Json = Record<string, unknown>;

const SECTIONS: Record<Section, { entityType: EntityType; input: z.ZodType; write: (session: WriteSession, input: unknown) => Promise<unknown> }> = {
  places: { entityType: 'Place', input: createPlaceInput, write: createPlace },
  organisations: { entityType: 'Organisation', input: createOrganisationInput, write: createOrganisation },
  officials: { entityType: 'Official', input: createOfficialInput, write: createOfficial },
  sources: { entityType: 'Source', input: createSourceInput, write: createSource },
  incidents: { entityType: 'Incident', input: createIncidentInput, write: createIncident },
  statements: { entityType: 'Statement', input: recordStatementInput, write: recordStatement },
};

/** Which section each reference field of the file points into. */
const REFERENCES: Record<string, Section | 'figures'> = {
  parent: 'places', // of places; organisations and incidents are set below
  country: 'places',
  place: 'places',
  places: 'places',
  organisation: 'organisations',
  publisher: 'organisations',
  countedOrganisation: 'organisations',
  by: 'organisations',
  official: 'officials',
  sourceChain: 'sources',
  incident: 'incidents',
  incidents: 'incidents',
  basis: 'statements',
  supersedes: 'figures',
};

export class SeedFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid seed file:\n  ${problems.join('\n  ')}`);
    this.name = 'SeedFileError';
  }
}

/** One write the file asks for. */
interface Step {
  section: Section | 'participants';
  key: string;
  /** "places \"gwadar\"": how problems name the record. */
  label: string;
  input: Json;
}

export interface SeedPlan {
  steps: Step[];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
// Fields starting with '$' are comments for the reader, at any depth.
const uncommented = (value: unknown): unknown => (Array.isArray(value) ? value.map(uncommented) : isObject(value) ? withoutComments(value) : value);
const withoutComments = (record: Json): Json =>
  Object.fromEntries(
    Object.entries(record)
      .filter(([name]) => !name.startsWith('$'))
      .map(([name, value]) => [name, uncommented(value)]),
  );
const seedRef = (key: string) => ({ externalId: EXTERNAL_ID_PREFIX + key });

/** The file's names for the write inputs' fields, where they differ (for problems named as the file names them). */
const FILE_FIELDS: [RegExp, string][] = [
  [/^quantity\.kind$/, 'quantityKind'],
  [/^quantity\.(low|high|phrase)$/, '$1'],
  [/^sources/, 'sourceChain'],
  [/^verifiedBy$/, 'verification.by'],
  [/^verificationNote$/, 'verification.note'],
  [/^verification$/, 'verification.status'],
];
const fileField = (field: string) => FILE_FIELDS.reduce((out, [pattern, name]) => out.replace(pattern, name), field);

/** Checks the whole file and turns it into writes, reporting every problem at once, each naming its record and field. */
export function parseSeed(json: unknown): SeedPlan {
  if (!isObject(json)) throw new SeedFileError(['the file must hold a JSON object']);
  const problems: string[] = [];
  const records: Record<Section | 'figures', Map<string, Json>> = {
    places: new Map(),
    organisations: new Map(),
    officials: new Map(),
    sources: new Map(),
    incidents: new Map(),
    statements: new Map(),
    figures: new Map(),
  };
  const collect = (section: Section | 'figures', items: unknown, where: string) => {
    if (!Array.isArray(items)) return void problems.push(`${where}: must be a list`);
    items.forEach((item, n) => {
      if (!isObject(item) || typeof item.key !== 'string' || !item.key) return void problems.push(`${where}[${n}]: must be an object with a non-empty "key"`);
      if (records[section].has(item.key)) problems.push(`${section} "${item.key}": duplicate key`);
      records[section].set(item.key, withoutComments(item));
      if (section === 'statements' && item.figures !== undefined) collect('figures', item.figures, `statements "${item.key}" figures`);
    });
  };
  for (const [name, items] of Object.entries(json)) {
    if (name.startsWith('$')) continue;
    if (!(name in SECTIONS)) problems.push(`unknown section "${name}"`);
    else collect(name as Section, items, name);
  }

  // References by key, into the section each field points at.
  const refer = (label: string, field: string, section: Section | 'figures', key: unknown) => {
    if (typeof key === 'string' && records[section].has(key)) return seedRef(key);
    problems.push(`${label}: field "${field}" refers to unknown ${section} ${JSON.stringify(key)}`);
    return null;
  };
  const resolveRefs = (label: string, record: Json, parentSection: Section): Json =>
    Object.fromEntries(
      Object.entries(record).map(([field, value]) => {
        const section = field === 'parent' ? parentSection : REFERENCES[field];
        if (!section || value === null || value === undefined) return [field, value];
        if (Array.isArray(value)) return [field, value.map((key, n) => refer(label, `${field}[${n}]`, section, key))];
        if (isObject(value)) return [field, value];
        return [field, refer(label, field, section, value)];
      }),
    );
  const check = (label: string, schema: z.ZodType, input: Json) => {
    try {
      parseInput(schema, input);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      for (const issue of error.issues) problems.push(`${label}: field "${fileField(issue.field)}" ${issue.rule}`);
    }
  };

  const steps: Step[] = [];
  const participantSteps: Step[] = [];
  for (const section of ['places', 'organisations', 'officials', 'sources', 'incidents', 'statements'] as const) {
    for (const key of inDependencyOrder(records[section])) {
      const label = `${section} "${key}"`;
      const { key: _key, ...record } = records[section].get(key)!;
      let input: Json;
      if (section === 'officials') {
        input = {
          ...record,
          roles: Array.isArray(record.roles)
            ? record.roles.map((role, n) => resolveRefs(`${label} roles[${n}]`, withoutComments(role as Json), section))
            : record.roles,
        };
      } else if (section === 'incidents') {
        const { participants, ...incident } = record;
        input = resolveRefs(label, incident, section);
        if (Array.isArray(participants) && participants.length > 0) {
          const list = participants.map((p, n) => resolveRefs(`${label} participants[${n}]`, withoutComments(p as Json), section));
          participantSteps.push({ section: 'participants', key, label, input: { incident: seedRef(key), participants: list } });
        }
      } else if (section === 'statements') {
        input = statementInput(label, record, resolveRefs, check);
      } else {
        input = resolveRefs(label, record, section);
      }
      check(label, SECTIONS[section].input, { ...input, externalId: EXTERNAL_ID_PREFIX + key, ...(section === 'statements' ? { figures: [] } : {}) });
      steps.push({ section, key, label, input: { ...input, externalId: EXTERNAL_ID_PREFIX + key } });
    }
  }
  if (problems.length > 0) throw new SeedFileError(problems);
  return { steps: [...steps, ...participantSteps] };
}

/** A statement of the file as `recordStatement`'s input: verification as three fields, figures with their quantities. */
function statementInput(
  label: string,
  record: Json,
  resolveRefs: (label: string, record: Json, parentSection: Section) => Json,
  check: (label: string, schema: z.ZodType, input: Json) => void,
): Json {
  const { verification, sourceChain, figures, claimant, ...statement } = record;
  const checked = isObject(verification) ? resolveRefs(label, verification, 'statements') : {};
  const { sourceChain: sources, ...resolved } = resolveRefs(label, { ...statement, sourceChain }, 'statements');
  return {
    ...resolved,
    sources,
    claimant: isObject(claimant) ? resolveRefs(label, claimant, 'statements') : claimant,
    verification: checked.status,
    verifiedBy: checked.by,
    verificationNote: checked.note,
    figures: (Array.isArray(figures) ? figures : []).map((item) => {
      const { key, quantityKind, low, high, phrase, breakdown, ...figure } = withoutComments(item as Json);
      const figureLabel = `figures "${String(key)}"`;
      const input: Json = {
        ...resolveRefs(figureLabel, figure, 'statements'),
        externalId: EXTERNAL_ID_PREFIX + String(key),
        quantity: { kind: quantityKind, low, high, phrase },
        breakdown: isObject(breakdown) ? Object.entries(breakdown).map(([name, count]) => ({ label: name, count })) : breakdown,
      };
      // The superseded figure's version is read when it is written; 1 stands in while checking.
      check(figureLabel, figureInput, { ...input, ...(input.supersedes ? { supersedesVersion: 1 } : {}) });
      return input;
    }),
  };
}

/** Keys ordered so that a record's parent (in the same section) comes before it. */
function inDependencyOrder(records: Map<string, Json>): string[] {
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (key: string, path: Set<string>) => {
    if (placed.has(key) || path.has(key)) return;
    const parent = records.get(key)?.parent;
    if (typeof parent === 'string' && records.has(parent)) visit(parent, new Set([...path, key]));
    placed.add(key);
    ordered.push(key);
  };
  for (const key of records.keys()) visit(key, new Set());
  return ordered;
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

const TABLES = [
  'place',
  'organisation',
  'official',
  'officialRole',
  'source',
  'incident',
  'incidentPlace',
  'incidentParticipant',
  'statement',
  'statementSource',
  'statementIncident',
  'figure',
  'figureBreakdownItem',
] as const;

async function rowCounts(prisma: PrismaClient): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = await (prisma[table] as unknown as { count(): Promise<number> }).count();
  return counts;
}

/** Writes one step, unless its record is there already (a second seeding). */
async function writeStep(session: WriteSession, step: Step) {
  if (step.section === 'participants') {
    const [incidentId] = [...(await externalIdsFor(session, 'Incident', [EXTERNAL_ID_PREFIX + step.key])).values()];
    const incident = await session.tx.incident.findUniqueOrThrow({ where: { id: incidentId! } });
    await updateIncident(session, { ...step.input, expectedUpdatedAt: incident.updatedAt.toISOString() });
    return;
  }
  const { entityType, write } = SECTIONS[step.section];
  if ((await externalIdsFor(session, entityType, [EXTERNAL_ID_PREFIX + step.key])).size > 0) return;
  if (step.section === 'statements') {
    // A revision names the version of the figure it revises: the one it has now.
    const figures = await Promise.all(
      (step.input.figures as Json[]).map(async (figure) => {
        const supersedes = figure.supersedes as { externalId: string } | null | undefined;
        if (!supersedes) return figure;
        const [id] = [...(await externalIdsFor(session, 'Figure', [supersedes.externalId])).values()];
        const { version } = await session.tx.figure.findUniqueOrThrow({ where: { id: id! }, select: { version: true } });
        return { ...figure, supersedesVersion: version };
      }),
    );
    await write(session, { ...step.input, figures });
  } else await write(session, step.input);
}

/**
 * Whether the database holds no statement yet (a start then seeds it). Through the driver adapter,
 * as the migrations check is: a start that seeds nothing never loads Prisma's query compiler
 * (~0.1 s of CPU, and Wasm compiled beside it), which the first Prisma query loads instead.
 */
export async function holdsNoStatements(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<boolean> {
  const adapter = await adapterFactory.connect();
  try {
    const { rows } = await adapter.queryRaw({ sql: 'SELECT NOT EXISTS (SELECT 1 FROM "Statement") AS empty', args: [], argTypes: [] });
    return rows[0]?.[0] === true;
  } finally {
    await adapter.dispose();
  }
}

/**
 * Writes the seed file in one transaction, through the write functions; returns how many rows
 * of each table it added (none the second time).
 */
export async function seedDatabase(prisma: PrismaClient, file: string = DEFAULT_SEED_FILE): Promise<{ created: Record<string, number> }> {
  const plan = await readSeedFile(file);
  const before = await rowCounts(prisma);
  await writeTransaction(
    prisma,
    LOCAL_OPERATOR,
    async (session) => {
      for (const step of plan.steps) {
        try {
          await writeStep(session, step);
        } catch (error) {
          if (error instanceof InvalidInputError)
            throw new SeedFileError(error.issues.map((issue) => `${step.label}: field "${fileField(issue.field)}" ${issue.rule}`));
          throw error;
        }
      }
      return {};
    },
    // PGlite runs queries one at a time on one connection: leave a larger seed file more than the default.
    { timeoutMs: 120_000 },
  );
  const after = await rowCounts(prisma);
  return { created: Object.fromEntries(TABLES.map((table) => [table, after[table]! - before[table]!])) };
}
