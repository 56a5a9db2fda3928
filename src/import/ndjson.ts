// The NDJSON import format: one JSON object per line. A line is a statement with its figures
// (`"type": "statement"`, the default) or an entity the statements refer to (`place`,
// `organisation`, `official`, `source`, `incident`). Records name each other by external ID
// (`{ "externalId": "seed:bla" }`), never by database id, so a file can be re-imported and can
// carry its own places, organisations and incidents (created only when absent).
import { z } from 'zod';
import {
  IncidentKind,
  OrganisationKind,
  ParticipantRole,
  PlaceKind,
  SourceKind,
  DatePrecision,
} from '../generated/prisma/enums.js';
import { recordChange } from '../writes/audit.js';
import { InvalidInputError, type InputIssue } from '../writes/errors.js';
import { recordStatement, validateStatement } from '../writes/statements.js';
import { values, words } from '../writes/rules.js';
import type { EntityType, PreparedRecord, Reference, Tx, WriteContext } from './types.js';

const externalId = words(200);
const ref = z.strictObject({ externalId }, { error: 'must be a reference like { "externalId": "…" }' });
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/, 'must be a date (2026-01-31) or a date-time with a zone (2026-01-31T14:27:00Z)')
  .refine((value) => !Number.isNaN(Date.parse(value)), 'is not a real date')
  .transform((value) => new Date(value));

const place = z.strictObject({
  type: z.literal('place'),
  externalId,
  name: words(200),
  kind: z.enum(values(PlaceKind)),
  parent: ref.nullish(),
  aliases: z.array(words(200)).max(50).default([]),
  latitude: z.number().min(-90).max(90).nullish(),
  longitude: z.number().min(-180).max(180).nullish(),
  description: words(2_000).nullish(),
});

const organisation = z.strictObject({
  type: z.literal('organisation'),
  externalId,
  name: words(300),
  kind: z.enum(values(OrganisationKind)),
  aliases: z.array(words(200)).max(50).default([]),
  country: ref.nullish(),
  parent: ref.nullish(),
  description: words(2_000).nullish(),
  notes: words(2_000).nullish(),
});

const official = z
  .strictObject({
    type: z.literal('official'),
    externalId,
    name: words(300).nullish(),
    description: words(500).nullish(),
    aliases: z.array(words(200)).max(50).default([]),
  })
  .refine((o) => o.name || o.description, { path: ['name'], message: 'a name or a description is required (no name is invented)' });

const source = z.strictObject({
  type: z.literal('source'),
  externalId,
  title: words(500).nullish(),
  description: words(1_000),
  kind: z.enum(values(SourceKind)),
  publisher: ref.nullish(),
  byline: words(300).nullish(),
  url: z.url('must be a URL').nullish(),
  publishedAt: date.nullish(),
});

const incident = z.strictObject({
  type: z.literal('incident'),
  externalId,
  title: words(500),
  kind: z.enum(values(IncidentKind)),
  description: words(5_000).nullish(),
  startedAt: date.nullish(),
  endedAt: date.nullish(),
  datePrecision: z.enum(values(DatePrecision)).default('DAY'),
  parent: ref.nullish(),
  places: z.array(ref).max(50).default([]),
  participants: z
    .array(
      z.strictObject({
        role: z.enum(values(ParticipantRole)),
        organisation: ref.nullish(),
        official: ref.nullish(),
        description: words(500),
      }),
    )
    .max(50)
    .default([]),
});

const figure = z.strictObject({
  externalId: externalId.optional(),
  metric: z.unknown().optional(),
  victimCategory: z.unknown().optional(),
  side: z.unknown().optional(),
  victimDescription: z.unknown().optional(),
  countedOrganisation: ref.nullish(),
  place: ref.nullish(),
  incident: ref.nullish(),
  quantity: z.unknown().optional(),
  breakdown: z.unknown().optional(),
});

const statement = z.strictObject({
  type: z.literal('statement').optional(),
  externalId,
  kind: z.unknown().optional(),
  claimant: z.strictObject({
    kind: z.unknown().optional(),
    organisation: ref.nullish(),
    official: ref.nullish(),
    description: z.unknown().optional(),
    affiliation: z.unknown().optional(),
  }),
  madeAt: date.nullish(),
  madeAtPrecision: z.unknown().optional(),
  text: z.unknown().optional(),
  isDirectQuote: z.unknown().optional(),
  verification: z.unknown().optional(),
  verificationNote: z.unknown().optional(),
  verifiedBy: ref.nullish(),
  sources: z.array(ref).max(20).default([]),
  incidents: z.array(ref).max(100).default([]),
  figures: z.array(figure).max(200).default([]),
});

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}

function issuesOf(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const where = fieldPath(issue.path);
      return { field: issue.keys.map((key) => (where ? `${where}.${key}` : key)).join(', '), rule: 'is not a field of this record type' };
    }
    return { field: fieldPath(issue.path), rule: issue.message };
  });
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInputError(issuesOf(result.error));
  return result.data;
}

/** The domain's id field names, as this format names the reference fields. */
const referenceFieldNames: [RegExp, string][] = [
  [/\borganisationId\b/, 'organisation'],
  [/\bofficialId\b/, 'official'],
  [/\bverifiedById\b/, 'verifiedBy'],
  [/\bsourceIds\b/, 'sources'],
  [/\bincidentIds\b/, 'incidents'],
  [/\bcountedOrganisationId\b/, 'countedOrganisation'],
  [/\bplaceId\b/, 'place'],
  [/\bincidentId\b/, 'incident'],
];
const renameField = (field: string) => referenceFieldNames.reduce((out, [pattern, name]) => out.replace(pattern, name), field);

/** Creates an entity unless one with its external ID exists; audited. */
async function createIfAbsent(
  tx: Tx,
  context: WriteContext,
  entityType: EntityType,
  externalIdValue: string,
  find: () => Promise<{ id: number } | null>,
  create: () => Promise<{ id: number }>,
): Promise<boolean> {
  const existing = await find();
  if (existing) {
    context.remember(entityType, externalIdValue, existing.id);
    return false;
  }
  const row = await create();
  context.remember(entityType, externalIdValue, row.id);
  await recordChange(tx, context.actor, { operation: 'CREATE', entityType, entityId: row.id, after: row });
  return true;
}

const optionalRef = (field: string, entityType: EntityType, value: { externalId: string } | null | undefined): Reference[] =>
  value ? [{ field, entityType, externalId: value.externalId }] : [];

/** Parses and validates one NDJSON line (all rules that need no database). Throws InvalidInputError. */
export function prepareNdjson(line: number, text: string): PreparedRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError([{ field: '(line)', rule: `is not valid JSON: ${(error as Error).message}` }]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError([{ field: '(line)', rule: 'must be one JSON object' }]);
  }
  const type = (value as { type?: unknown }).type ?? 'statement';
  const resolveOptional = (context: WriteContext, reference: Reference[]) =>
    reference.length > 0 ? context.resolve(reference[0]!) : Promise.resolve(null);

  switch (type) {
    case 'place': {
      const r = parse(place, value);
      const parent = optionalRef('parent', 'Place', r.parent);
      return {
        line, entityType: 'Place', externalId: r.externalId, needs: parent,
        write: async (tx, context) => {
          const parentId = await resolveOptional(context, parent);
          return createIfAbsent(tx, context, 'Place', r.externalId,
            () => tx.place.findUnique({ where: { externalId: r.externalId }, select: { id: true } }),
            () => tx.place.create({ data: { externalId: r.externalId, name: r.name, kind: r.kind, parentId, aliases: r.aliases, latitude: r.latitude, longitude: r.longitude, description: r.description } }));
        },
      };
    }
    case 'organisation': {
      const r = parse(organisation, value);
      const country = optionalRef('country', 'Place', r.country);
      const parent = optionalRef('parent', 'Organisation', r.parent);
      return {
        line, entityType: 'Organisation', externalId: r.externalId, needs: [...country, ...parent],
        write: async (tx, context) => {
          const countryId = await resolveOptional(context, country);
          const parentId = await resolveOptional(context, parent);
          return createIfAbsent(tx, context, 'Organisation', r.externalId,
            () => tx.organisation.findUnique({ where: { externalId: r.externalId }, select: { id: true } }),
            () => tx.organisation.create({ data: { externalId: r.externalId, name: r.name, kind: r.kind, aliases: r.aliases, countryId, parentId, description: r.description, notes: r.notes } }));
        },
      };
    }
    case 'official': {
      const r = parse(official, value);
      return {
        line, entityType: 'Official', externalId: r.externalId, needs: [],
        write: (tx, context) =>
          createIfAbsent(tx, context, 'Official', r.externalId,
            () => tx.official.findUnique({ where: { externalId: r.externalId }, select: { id: true } }),
            () => tx.official.create({ data: { externalId: r.externalId, name: r.name, description: r.description, aliases: r.aliases } })),
      };
    }
    case 'source': {
      const r = parse(source, value);
      const publisher = optionalRef('publisher', 'Organisation', r.publisher);
      return {
        line, entityType: 'Source', externalId: r.externalId, needs: publisher,
        write: async (tx, context) => {
          const publisherId = await resolveOptional(context, publisher);
          return createIfAbsent(tx, context, 'Source', r.externalId,
            () => tx.source.findUnique({ where: { externalId: r.externalId }, select: { id: true } }),
            () => tx.source.create({ data: { externalId: r.externalId, title: r.title, description: r.description, kind: r.kind, publisherId, byline: r.byline, url: r.url, publishedAt: r.publishedAt } }));
        },
      };
    }
    case 'incident': {
      const r = parse(incident, value);
      if (r.startedAt && r.endedAt && r.endedAt < r.startedAt) throw new InvalidInputError([{ field: 'endedAt', rule: 'must not be before startedAt' }]);
      r.participants.forEach((p, n) => {
        if (p.organisation && p.official) throw new InvalidInputError([{ field: `participants[${n}]`, rule: 'is an organisation or an official, not both' }]);
      });
      const parent = optionalRef('parent', 'Incident', r.parent);
      const places = r.places.map((p, n): Reference => ({ field: `places[${n}]`, entityType: 'Place', externalId: p.externalId }));
      const participants = r.participants.map((p, n) => ({
        ...p,
        organisationRef: optionalRef(`participants[${n}].organisation`, 'Organisation', p.organisation),
        officialRef: optionalRef(`participants[${n}].official`, 'Official', p.official),
      }));
      return {
        line, entityType: 'Incident', externalId: r.externalId,
        needs: [...parent, ...places, ...participants.flatMap((p) => [...p.organisationRef, ...p.officialRef])],
        write: async (tx, context) => {
          const parentId = await resolveOptional(context, parent);
          const placeIds = [...new Set(await Promise.all(places.map((p) => context.resolve(p))))];
          const people: { role: (typeof participants)[number]["role"]; description: string; organisationId: number | null; officialId: number | null }[] = [];
          for (const p of participants) {
            people.push({ role: p.role, description: p.description, organisationId: await resolveOptional(context, p.organisationRef), officialId: await resolveOptional(context, p.officialRef) });
          }
          return createIfAbsent(tx, context, 'Incident', r.externalId,
            () => tx.incident.findUnique({ where: { externalId: r.externalId }, select: { id: true } }),
            () => tx.incident.create({
              data: {
                externalId: r.externalId, title: r.title, kind: r.kind, description: r.description, startedAt: r.startedAt, endedAt: r.endedAt,
                datePrecision: r.datePrecision, parentId,
                places: { create: placeIds.map((placeId) => ({ placeId })) },
                participants: { create: people },
              },
              include: { places: true, participants: true },
            }));
        },
      };
    }
    case 'statement':
      return prepareStatement(line, parse(statement, value));
    default:
      throw new InvalidInputError([{ field: 'type', rule: 'must be one of statement, place, organisation, official, source, incident' }]);
  }
}

function prepareStatement(line: number, r: z.output<typeof statement>): PreparedRecord {
  const claimantOrganisation = optionalRef('claimant.organisation', 'Organisation', r.claimant.organisation);
  const claimantOfficial = optionalRef('claimant.official', 'Official', r.claimant.official);
  const verifiedBy = optionalRef('verifiedBy', 'Organisation', r.verifiedBy);
  const sources = r.sources.map((s, n): Reference => ({ field: `sources[${n}]`, entityType: 'Source', externalId: s.externalId }));
  const incidents = r.incidents.map((s, n): Reference => ({ field: `incidents[${n}]`, entityType: 'Incident', externalId: s.externalId }));
  const figureRefs = r.figures.map((f, n) => ({
    countedOrganisation: optionalRef(`figures[${n}].countedOrganisation`, 'Organisation', f.countedOrganisation),
    place: optionalRef(`figures[${n}].place`, 'Place', f.place),
    incident: optionalRef(`figures[${n}].incident`, 'Incident', f.incident),
  }));

  const needs = [...claimantOrganisation, ...claimantOfficial, ...verifiedBy, ...sources, ...incidents, ...figureRefs.flatMap((f) => [...f.countedOrganisation, ...f.place, ...f.incident])];

  /** The domain's input, with ids from `id` (placeholders while validating, real ids when writing). */
  const domainInput = (id: (refs: Reference[]) => number | null) => {
    const { type: _type, claimant, verifiedBy: _v, sources: _s, incidents: _i, figures, ...rest } = r;
    const { organisation: _o, official: _of, ...claimantRest } = claimant;
    return {
      ...rest,
      claimant: { ...claimantRest, organisationId: id(claimantOrganisation), officialId: id(claimantOfficial) },
      verifiedById: id(verifiedBy),
      sourceIds: sources.map((reference) => id([reference])!),
      incidentIds: incidents.map((reference) => id([reference])!),
      figures: figures.map(({ countedOrganisation: _c, place: _p, incident: _in, ...figureRest }, n) => ({
        ...figureRest,
        countedOrganisationId: id(figureRefs[n]!.countedOrganisation),
        placeId: id(figureRefs[n]!.place),
        incidentId: id(figureRefs[n]!.incident),
      })),
    };
  };

  // Every rule of recordStatement that needs no database, checked now with placeholder ids.
  try {
    validateStatement(domainInput((refs) => (refs.length > 0 ? 1 : null)));
  } catch (error) {
    if (error instanceof InvalidInputError) throw new InvalidInputError(error.issues.map((issue) => ({ ...issue, field: renameField(issue.field) })));
    throw error;
  }

  return {
    line,
    entityType: 'Statement',
    externalId: r.externalId,
    needs,
    figureExternalIds: r.figures.flatMap((f) => (f.externalId ? [f.externalId] : [])),
    write: async (tx, context) => {
      const ids = new Map<string, number>();
      for (const reference of needs) ids.set(reference.field, await context.resolve(reference));
      const input = domainInput((refs) => (refs.length > 0 ? ids.get(refs[0]!.field)! : null));
      const result = await recordStatement(tx, context.actor, input);
      context.events.push(...result.events);
      if (!result.replayed) {
        context.remember('Statement', r.externalId, result.statementId);
        r.figures.forEach((f, n) => f.externalId && context.remember('Figure', f.externalId, result.figureIds[n]!));
      }
      return !result.replayed;
    },
  };
}
