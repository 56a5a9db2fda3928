// Creating and editing organisations, officials, places, sources and incidents, and merging
// duplicates. The rules live in src/writes/entities.ts; this file maps GraphQL input (global IDs)
// onto them. Updates carry the `updatedAt` the writer read (`expectedUpdatedAt`): if the entity
// changed since, the update is refused with a Conflict instead of silently overwriting.
import { GraphQLError } from 'graphql';
import { ParticipantRole } from '../generated/prisma/enums.js';
import type { Context } from '../context.js';
import {
  createIncident,
  createOfficial,
  createOrganisation,
  createPlace,
  createSource,
  mergeOfficials,
  mergeOrganisations,
  mergePlaces,
  updateIncident,
  updateOfficial,
  updateOrganisation,
  updatePlace,
  updateSource,
  type EntityWriteResult,
  type MergeResult,
} from '../writes/entities.js';
import { inTransaction } from '../writes/statements.js';
import { builder } from './builder.js';
import { databaseId, DatePrecisionEnum } from './common.js';
import { Incident, IncidentKindEnum } from './incident.js';
import { Official } from './official.js';
import { Organisation, OrganisationKindEnum } from './organisation.js';
import { Place, PlaceKindEnum } from './place.js';
import { Source, SourceKindEnum } from './source.js';
import { Statement } from './statement.js';
import { WRITE_ERRORS } from './write-errors.js';

type GlobalId = { id: unknown; typename: string };

/** undefined stays undefined (leave as it is), null stays null (clear), an ID becomes its database id. */
const ref = (value: GlobalId | null | undefined) => (value === undefined ? undefined : value === null ? null : databaseId(value));
const refs = (list: readonly GlobalId[] | null | undefined) => (list === undefined ? undefined : list === null ? null : list.map(databaseId));

// ---------------------------------------------------------------------------------------------
// The concurrency token on every editable entity

const UPDATED_AT_DESCRIPTION =
  'When this was last changed. Send it back as `expectedUpdatedAt` when you update it: if someone changed it in between, the update is refused with a Conflict.';
for (const model of ['Organisation', 'Official', 'Place', 'Source', 'Incident'] as const) {
  builder.prismaObjectField(model, 'updatedAt', (t) => t.expose('updatedAt', { type: 'DateTime', description: UPDATED_AT_DESCRIPTION }));
}

// ---------------------------------------------------------------------------------------------
// Inputs

const EXTERNAL_ID = 'Your own ID for it: sending a creation with the same externalId again returns the existing one (`replayed: true`) instead of a duplicate.';
const EXPECTED_UPDATED_AT =
  'The `updatedAt` you read. If it changed since (someone else edited it), nothing is written and a Conflict is returned: re-read and try again.';
const IDEMPOTENCY_KEY = 'Any string unique to this request: retrying with the same key returns the first result instead of writing again.';
const UPDATE_RULE = 'Fields left out stay as they are; a field sent as null is cleared (where it may be empty).';

const OrganisationFields = {
  name: 'The full name ("Baloch Liberation Army"), 1 to 500 characters.',
  aliases: 'Abbreviations and other names ("BLA"). Duplicates (ignoring case) and the name itself are dropped.',
  kind: 'What kind of body it is.',
  country: 'The country it belongs to or operates from: a place of kind COUNTRY.',
  parent: 'The organisation it is part of (a desk within a newspaper). Must not be the organisation itself or one of its parts.',
  description: 'A short description.',
  notes: 'Editorial notes ("banned separatist group").',
};

const CreateOrganisationInput = builder.inputType('CreateOrganisationInput', {
  description: 'A new organisation.',
  fields: (t) => ({
    externalId: t.string({ required: false, description: EXTERNAL_ID }),
    name: t.string({ required: true, description: OrganisationFields.name }),
    aliases: t.stringList({ required: false, description: OrganisationFields.aliases }),
    kind: t.field({ type: OrganisationKindEnum, required: true, description: OrganisationFields.kind }),
    country: t.globalID({ for: [Place], required: false, description: OrganisationFields.country }),
    parent: t.globalID({ for: [Organisation], required: false, description: OrganisationFields.parent }),
    description: t.string({ required: false, description: OrganisationFields.description }),
    notes: t.string({ required: false, description: OrganisationFields.notes }),
  }),
});

const UpdateOrganisationInput = builder.inputType('UpdateOrganisationInput', {
  description: `Changes to an organisation. ${UPDATE_RULE}`,
  fields: (t) => ({
    organisation: t.globalID({ for: [Organisation], required: true, description: 'The organisation to change.' }),
    expectedUpdatedAt: t.field({ type: 'DateTime', required: true, description: EXPECTED_UPDATED_AT }),
    name: t.string({ required: false, description: `${OrganisationFields.name} Cannot be cleared.` }),
    aliases: t.stringList({ required: false, description: `${OrganisationFields.aliases} Replaces the list.` }),
    kind: t.field({ type: OrganisationKindEnum, required: false, description: `${OrganisationFields.kind} Cannot be cleared.` }),
    country: t.globalID({ for: [Place], required: false, description: OrganisationFields.country }),
    parent: t.globalID({ for: [Organisation], required: false, description: OrganisationFields.parent }),
    description: t.string({ required: false, description: OrganisationFields.description }),
    notes: t.string({ required: false, description: OrganisationFields.notes }),
  }),
});

const OfficialRoleInput = builder.inputType('OfficialRoleInput', {
  description: 'A role an official holds or held.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'The title as reported ("Interior Minister").' }),
    organisation: t.globalID({ for: [Organisation], required: false, description: 'The organisation the role is in.' }),
    place: t.globalID({ for: [Place], required: false, description: 'The place the role is responsible for (a district for its administrator).' }),
    startedOn: t.field({ type: 'DateTime', required: false, description: 'When the role began, if known.' }),
    endedOn: t.field({ type: 'DateTime', required: false, description: 'When the role ended, if it has (not before `startedOn`).' }),
  }),
});

const OfficialFields = {
  name: 'The person\'s name, when the reporting gives it. Leave out when only a role is known: no name is invented.',
  description: 'How the reporting refers to the person ("a senior police officer"). Needed when there is no name.',
  aliases: 'Other spellings of the name. Duplicates (ignoring case) and the name itself are dropped.',
  roles: 'Roles the person holds or held.',
};

const CreateOfficialInput = builder.inputType('CreateOfficialInput', {
  description: 'A new official: a name, or (when the reporting names no one) a description, or both.',
  fields: (t) => ({
    externalId: t.string({ required: false, description: EXTERNAL_ID }),
    name: t.string({ required: false, description: OfficialFields.name }),
    description: t.string({ required: false, description: OfficialFields.description }),
    aliases: t.stringList({ required: false, description: OfficialFields.aliases }),
    roles: t.field({ type: [OfficialRoleInput], required: false, description: OfficialFields.roles }),
  }),
});

const UpdateOfficialInput = builder.inputType('UpdateOfficialInput', {
  description: `Changes to an official. ${UPDATE_RULE} Name and description cannot both end up empty.`,
  fields: (t) => ({
    official: t.globalID({ for: [Official], required: true, description: 'The official to change.' }),
    expectedUpdatedAt: t.field({ type: 'DateTime', required: true, description: EXPECTED_UPDATED_AT }),
    name: t.string({ required: false, description: OfficialFields.name }),
    description: t.string({ required: false, description: OfficialFields.description }),
    aliases: t.stringList({ required: false, description: `${OfficialFields.aliases} Replaces the list.` }),
    roles: t.field({ type: [OfficialRoleInput], required: false, description: `${OfficialFields.roles} Replaces all of the official's roles.` }),
  }),
});

const PlaceFields = {
  name: 'The name used in reporting, 1 to 300 characters.',
  aliases: 'Other names and spellings. Duplicates (ignoring case) and the name itself are dropped.',
  kind: 'Country, province, district, city, area or site.',
  parent: 'The place this one lies in. Must not be the place itself or a place inside it.',
  latitude: 'Latitude in degrees (WGS 84), from -90 to 90; give it together with `longitude`.',
  longitude: 'Longitude in degrees (WGS 84), from -180 to 180; give it together with `latitude`.',
  description: 'How reporting describes the place ("port city").',
};

const CreatePlaceInput = builder.inputType('CreatePlaceInput', {
  description: 'A new place.',
  fields: (t) => ({
    externalId: t.string({ required: false, description: EXTERNAL_ID }),
    name: t.string({ required: true, description: PlaceFields.name }),
    aliases: t.stringList({ required: false, description: PlaceFields.aliases }),
    kind: t.field({ type: PlaceKindEnum, required: true, description: PlaceFields.kind }),
    parent: t.globalID({ for: [Place], required: false, description: PlaceFields.parent }),
    latitude: t.float({ required: false, description: PlaceFields.latitude }),
    longitude: t.float({ required: false, description: PlaceFields.longitude }),
    description: t.string({ required: false, description: PlaceFields.description }),
  }),
});

const UpdatePlaceInput = builder.inputType('UpdatePlaceInput', {
  description: `Changes to a place. ${UPDATE_RULE}`,
  fields: (t) => ({
    place: t.globalID({ for: [Place], required: true, description: 'The place to change.' }),
    expectedUpdatedAt: t.field({ type: 'DateTime', required: true, description: EXPECTED_UPDATED_AT }),
    name: t.string({ required: false, description: `${PlaceFields.name} Cannot be cleared.` }),
    aliases: t.stringList({ required: false, description: `${PlaceFields.aliases} Replaces the list.` }),
    kind: t.field({ type: PlaceKindEnum, required: false, description: `${PlaceFields.kind} Cannot be cleared.` }),
    parent: t.globalID({ for: [Place], required: false, description: PlaceFields.parent }),
    latitude: t.float({ required: false, description: PlaceFields.latitude }),
    longitude: t.float({ required: false, description: PlaceFields.longitude }),
    description: t.string({ required: false, description: PlaceFields.description }),
  }),
});

const SourceFields = {
  title: 'The headline or title, when known.',
  description: 'What the source is, in a few words ("Reuters report cited by The Indian Express").',
  kind: 'Article, wire report, video...',
  publisher: 'The organisation that published it.',
  byline: 'The byline as printed ("Express Global Desk").',
  url: 'Where it can be read or watched: an absolute http:// or https:// address.',
  publishedAt: 'When it was published.',
};

const CreateSourceInput = builder.inputType('CreateSourceInput', {
  description: 'A new source: a publication or recording that carried statements.',
  fields: (t) => ({
    externalId: t.string({ required: false, description: EXTERNAL_ID }),
    title: t.string({ required: false, description: SourceFields.title }),
    description: t.string({ required: true, description: SourceFields.description }),
    kind: t.field({ type: SourceKindEnum, required: true, description: SourceFields.kind }),
    publisher: t.globalID({ for: [Organisation], required: false, description: SourceFields.publisher }),
    byline: t.string({ required: false, description: SourceFields.byline }),
    url: t.string({ required: false, description: SourceFields.url }),
    publishedAt: t.field({ type: 'DateTime', required: false, description: SourceFields.publishedAt }),
  }),
});

const UpdateSourceInput = builder.inputType('UpdateSourceInput', {
  description: `Changes to a source. ${UPDATE_RULE}`,
  fields: (t) => ({
    source: t.globalID({ for: [Source], required: true, description: 'The source to change.' }),
    expectedUpdatedAt: t.field({ type: 'DateTime', required: true, description: EXPECTED_UPDATED_AT }),
    title: t.string({ required: false, description: SourceFields.title }),
    description: t.string({ required: false, description: `${SourceFields.description} Cannot be cleared.` }),
    kind: t.field({ type: SourceKindEnum, required: false, description: `${SourceFields.kind} Cannot be cleared.` }),
    publisher: t.globalID({ for: [Organisation], required: false, description: SourceFields.publisher }),
    byline: t.string({ required: false, description: SourceFields.byline }),
    url: t.string({ required: false, description: SourceFields.url }),
    publishedAt: t.field({ type: 'DateTime', required: false, description: SourceFields.publishedAt }),
  }),
});

const IncidentParticipantInput = builder.inputType('IncidentParticipantInput', {
  description: 'Someone who took part in an incident: an organisation, an official, or only a description ("armed men").',
  fields: (t) => ({
    role: t.field({ type: ParticipantRole, required: true, description: 'Perpetrator, target, responder, operator or victim.' }),
    organisation: t.globalID({ for: [Organisation], required: false, description: 'The organisation, when one is named (not together with `official`).' }),
    official: t.globalID({ for: [Official], required: false, description: 'The official, when one is involved (not together with `organisation`).' }),
    description: t.string({ required: true, description: 'How the reporting describes the participant ("militants").' }),
    basis: t.globalID({ for: [Statement], required: false, description: 'The statement the participation rests on (a responsibility claim).' }),
  }),
});

const IncidentFields = {
  title: 'A short neutral title, 1 to 500 characters.',
  kind: 'Attack, abduction, operation...',
  description: 'What happened, in a few sentences.',
  startedAt: 'When it happened (or began), if the reporting says.',
  endedAt: 'When it ended, for incidents over several days: not before `startedAt`.',
  datePrecision: 'How precisely the dates are known (default DAY).',
  parent: 'The larger incident this is part of. Must not be the incident itself or one of its parts.',
  places: 'Where it happened.',
  participants: 'Who took part and how.',
};

const CreateIncidentInput = builder.inputType('CreateIncidentInput', {
  description: 'A new incident.',
  fields: (t) => ({
    externalId: t.string({ required: false, description: EXTERNAL_ID }),
    title: t.string({ required: true, description: IncidentFields.title }),
    kind: t.field({ type: IncidentKindEnum, required: true, description: IncidentFields.kind }),
    description: t.string({ required: false, description: IncidentFields.description }),
    startedAt: t.field({ type: 'DateTime', required: false, description: IncidentFields.startedAt }),
    endedAt: t.field({ type: 'DateTime', required: false, description: IncidentFields.endedAt }),
    datePrecision: t.field({ type: DatePrecisionEnum, required: false, description: IncidentFields.datePrecision }),
    parent: t.globalID({ for: [Incident], required: false, description: IncidentFields.parent }),
    places: t.globalIDList({ for: [Place], required: false, description: IncidentFields.places }),
    participants: t.field({ type: [IncidentParticipantInput], required: false, description: IncidentFields.participants }),
  }),
});

const UpdateIncidentInput = builder.inputType('UpdateIncidentInput', {
  description: `Changes to an incident. ${UPDATE_RULE}`,
  fields: (t) => ({
    incident: t.globalID({ for: [Incident], required: true, description: 'The incident to change.' }),
    expectedUpdatedAt: t.field({ type: 'DateTime', required: true, description: EXPECTED_UPDATED_AT }),
    title: t.string({ required: false, description: `${IncidentFields.title} Cannot be cleared.` }),
    kind: t.field({ type: IncidentKindEnum, required: false, description: `${IncidentFields.kind} Cannot be cleared.` }),
    description: t.string({ required: false, description: IncidentFields.description }),
    startedAt: t.field({ type: 'DateTime', required: false, description: IncidentFields.startedAt }),
    endedAt: t.field({ type: 'DateTime', required: false, description: IncidentFields.endedAt }),
    datePrecision: t.field({ type: DatePrecisionEnum, required: false, description: `${IncidentFields.datePrecision} Cannot be cleared.` }),
    parent: t.globalID({ for: [Incident], required: false, description: IncidentFields.parent }),
    places: t.globalIDList({ for: [Place], required: false, description: `${IncidentFields.places} Replaces all of the incident's places.` }),
    participants: t.field({
      type: [IncidentParticipantInput],
      required: false,
      description: `${IncidentFields.participants} Replaces all of the incident's participants.`,
    }),
  }),
});

// ---------------------------------------------------------------------------------------------
// Results

function entityPayload<Model extends 'Organisation' | 'Official' | 'Place' | 'Source' | 'Incident'>(model: Model, field: string, what: string) {
  const delegate = (ctx: Context) => ctx.prisma[(model.charAt(0).toLowerCase() + model.slice(1)) as Uncapitalize<Model>] as unknown as {
    findUniqueOrThrow(args: object): Promise<never>;
  };
  return builder.objectRef<EntityWriteResult>(`${model}WritePayload`).implement({
    description: `The ${what} created or changed (or, for a repeated request, the one that already existed).`,
    fields: (t) => ({
      [field]: t.prismaField({
        type: model,
        description: `The ${what}, as it is now.`,
        resolve: (query, result, _args, ctx) => delegate(ctx).findUniqueOrThrow({ ...query, where: { id: result.id } }) as never,
      }),
      replayed: t.exposeBoolean('replayed', { description: 'True when this repeats an earlier request (same externalId or idempotency key) and nothing new was written.' }),
    }),
  });
}

const OrganisationWritePayload = entityPayload('Organisation', 'organisation', 'organisation');
const OfficialWritePayload = entityPayload('Official', 'official', 'official');
const PlaceWritePayload = entityPayload('Place', 'place', 'place');
const SourceWritePayload = entityPayload('Source', 'source', 'source');
const IncidentWritePayload = entityPayload('Incident', 'incident', 'incident');

const MovedReferences = builder.objectRef<{ reference: string; count: number }>('MovedReferences').implement({
  description: 'How many references of one kind moved from the duplicate to the entity kept.',
  fields: (t) => ({
    reference: t.exposeString('reference', {
      description: 'Which reference, as table.column ("Statement.organisationId": statements made by the organisation).',
    }),
    count: t.exposeInt('count', { description: 'How many moved.' }),
  }),
});

function mergePayload<Model extends 'Organisation' | 'Official' | 'Place'>(model: Model, field: string, what: string) {
  const delegate = (ctx: Context) => ctx.prisma[(model.charAt(0).toLowerCase() + model.slice(1)) as Uncapitalize<Model>] as unknown as {
    findUniqueOrThrow(args: object): Promise<never>;
  };
  return builder.objectRef<MergeResult>(`${model}MergePayload`).implement({
    description: `The ${what} kept after a merge, and what moved to it from the duplicate (which no longer exists).`,
    fields: (t) => ({
      [field]: t.prismaField({
        type: model,
        description: `The ${what} kept, with everything that referred to the duplicate.`,
        resolve: (query, result, _args, ctx) => delegate(ctx).findUniqueOrThrow({ ...query, where: { id: result.keptId } }) as never,
      }),
      moved: t.field({
        type: [MovedReferences],
        description: 'How many references of each kind moved from the duplicate.',
        resolve: (result) => Object.entries(result.moved).map(([reference, count]) => ({ reference, count })),
      }),
      addedAliases: t.exposeStringList('addedAliases', { description: "Names the kept entity gained as aliases: the duplicate's name and aliases it did not have yet." }),
      replayed: t.exposeBoolean('replayed', { description: 'True when this repeats an earlier request (same idempotency key) and nothing new was written.' }),
    }),
  });
}

const OrganisationMergePayload = mergePayload('Organisation', 'organisation', 'organisation');
const OfficialMergePayload = mergePayload('Official', 'official', 'official');
const PlaceMergePayload = mergePayload('Place', 'place', 'place');

// ---------------------------------------------------------------------------------------------
// Mutations

type Tx = Parameters<Parameters<typeof inTransaction>[2]>[0];
const actorOf = (ctx: Context) => ({ apiKeyId: ctx.caller?.apiKeyId ?? null });

/** Runs an entity write in one transaction, at most once per idempotency key. */
function run<Result extends object>(ctx: Context, operation: string, input: unknown, idempotencyKey: string | null | undefined, write: (tx: Tx) => Promise<Result>) {
  return inTransaction<Result>(ctx.prisma, { apiKeyId: ctx.caller?.apiKeyId ?? null, idempotencyKey, operation, input }, write);
}

/** Merges need the ADMIN scope: say so plainly to a WRITE key. */
const adminOnly = (_parent: unknown, _args: unknown, ctx: Context, info: { parentType: { name: string }; fieldName: string }) =>
  new GraphQLError(
    `${info.parentType.name}.${info.fieldName} merges records and needs an API key with the ADMIN scope; the key "${ctx.caller?.name ?? ''}" has ${ctx.caller?.scopes.join(', ') || 'no scopes'}`,
    { extensions: { code: 'FORBIDDEN' } },
  );

const MERGE_KEEP = (what: string) => `The ${what} to keep: everything that referred to the duplicate moves to it.`;
const MERGE_DUPLICATE = (what: string) =>
  `The duplicate ${what}: its references move to \`keep\`, its name and aliases become aliases of \`keep\`, then it is deleted.`;

builder.mutationFields((t) => ({
  createOrganisation: t.field({
    type: OrganisationWritePayload,
    description: 'Creates an organisation. Sending the same `externalId` again returns the existing one instead of a duplicate.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      input: t.arg({ type: CreateOrganisationInput, required: true, description: 'The organisation.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, { input: { country, parent, ...input }, idempotencyKey }, ctx) => {
      const domainInput = { ...input, aliases: input.aliases ?? undefined, countryId: ref(country), parentId: ref(parent) };
      return run(ctx, 'createOrganisation', domainInput, idempotencyKey, (tx) => createOrganisation(tx, actorOf(ctx), domainInput));
    },
  }),
  updateOrganisation: t.field({
    type: OrganisationWritePayload,
    description:
      'Changes an organisation, if nobody else changed it since you read it (`expectedUpdatedAt`). Refuses a parent that would make the organisation part of itself.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      input: t.arg({ type: UpdateOrganisationInput, required: true, description: 'The organisation, the `updatedAt` you read, and the changes.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, { input: { organisation, country, parent, ...input }, idempotencyKey }, ctx) => {
      const domainInput = { ...input, id: databaseId(organisation), countryId: ref(country), parentId: ref(parent) };
      return run(ctx, 'updateOrganisation', domainInput, idempotencyKey, (tx) => updateOrganisation(tx, actorOf(ctx), domainInput));
    },
  }),
  createOfficial: t.field({
    type: OfficialWritePayload,
    description:
      'Creates an official with their roles. The name may be left out when the reporting gives only a role ("the area\'s top civil administrator"); then a description is needed.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      input: t.arg({ type: CreateOfficialInput, required: true, description: 'The official.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, { input, idempotencyKey }, ctx) => {
      const domainInput = { ...input, aliases: input.aliases ?? undefined, roles: roles(input.roles) ?? undefined };
      return run(ctx, 'createOfficial', domainInput, idempotencyKey, (tx) => createOfficial(tx, actorOf(ctx), domainInput));
    },
  }),
  updateOfficial: t.field({
    type: OfficialWritePayload,
    description: 'Changes an official, if nobody else changed them since you read it (`expectedUpdatedAt`). A `roles` list replaces all roles.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      input: t.arg({ type: UpdateOfficialInput, required: true, description: 'The official, the `updatedAt` you read, and the changes.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, { input: { official, ...input }, idempotencyKey }, ctx) => {
      const domainInput = { ...input, id: databaseId(official), roles: roles(input.roles) };
      return run(ctx, 'updateOfficial', domainInput, idempotencyKey, (tx) => updateOfficial(tx, actorOf(ctx), domainInput));
    },
  }),
  createPlace: t.field({
    type: PlaceWritePayload,
    description: 'Creates a place. Sending the same `externalId` again returns the existing one instead of a duplicate.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      input: t.arg({ type: CreatePlaceInput, required: true, description: 'The place.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, { input: { parent, ...input }, idempotencyKey }, ctx) => {
      const domainInput = { ...input, aliases: input.aliases ?? undefined, parentId: ref(parent) };
      return run(ctx, 'createPlace', domainInput, idempotencyKey, (tx) => createPlace(tx, actorOf(ctx), domainInput));
    },
  }),
  updatePlace: t.field({
    type: PlaceWritePayload,
    description:
      'Changes a place, if nobody else changed it since you read it (`expectedUpdatedAt`). Refuses a parent that would put the place inside itself.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      input: t.arg({ type: UpdatePlaceInput, required: true, description: 'The place, the `updatedAt` you read, and the changes.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, { input: { place, parent, ...input }, idempotencyKey }, ctx) => {
      const domainInput = { ...input, id: databaseId(place), parentId: ref(parent) };
      return run(ctx, 'updatePlace', domainInput, idempotencyKey, (tx) => updatePlace(tx, actorOf(ctx), domainInput));
    },
  }),
  createSource: t.field({
    type: SourceWritePayload,
    description: 'Creates a source. Sending the same `externalId` again returns the existing one instead of a duplicate.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      input: t.arg({ type: CreateSourceInput, required: true, description: 'The source.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, { input: { publisher, ...input }, idempotencyKey }, ctx) => {
      const domainInput = { ...input, publisherId: ref(publisher) };
      return run(ctx, 'createSource', domainInput, idempotencyKey, (tx) => createSource(tx, actorOf(ctx), domainInput));
    },
  }),
  updateSource: t.field({
    type: SourceWritePayload,
    description: 'Changes a source, if nobody else changed it since you read it (`expectedUpdatedAt`).',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      input: t.arg({ type: UpdateSourceInput, required: true, description: 'The source, the `updatedAt` you read, and the changes.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, { input: { source, publisher, ...input }, idempotencyKey }, ctx) => {
      const domainInput = { ...input, id: databaseId(source), publisherId: ref(publisher) };
      return run(ctx, 'updateSource', domainInput, idempotencyKey, (tx) => updateSource(tx, actorOf(ctx), domainInput));
    },
  }),
  createIncident: t.field({
    type: IncidentWritePayload,
    description:
      'Creates an incident with its places and participants. Sending the same `externalId` again returns the existing one instead of a duplicate.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      input: t.arg({ type: CreateIncidentInput, required: true, description: 'The incident.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, { input: { parent, places, participants: people, ...input }, idempotencyKey }, ctx) => {
      const domainInput = {
        ...input,
        datePrecision: input.datePrecision ?? undefined,
        parentId: ref(parent),
        placeIds: refs(places) ?? undefined,
        participants: participants(people) ?? undefined,
      };
      return run(ctx, 'createIncident', domainInput, idempotencyKey, (tx) => createIncident(tx, actorOf(ctx), domainInput));
    },
  }),
  updateIncident: t.field({
    type: IncidentWritePayload,
    description:
      'Changes an incident, if nobody else changed it since you read it (`expectedUpdatedAt`). A `places` or `participants` list replaces the old one. Refuses a parent that would make the incident part of itself.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      input: t.arg({ type: UpdateIncidentInput, required: true, description: 'The incident, the `updatedAt` you read, and the changes.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, { input: { incident, parent, places, participants: people, ...input }, idempotencyKey }, ctx) => {
      const domainInput = { ...input, id: databaseId(incident), parentId: ref(parent), placeIds: refs(places), participants: participants(people) };
      return run(ctx, 'updateIncident', domainInput, idempotencyKey, (tx) => updateIncident(tx, actorOf(ctx), domainInput));
    },
  }),
  mergeOrganisations: t.field({
    type: OrganisationMergePayload,
    description:
      'Admins only. Merges a duplicate organisation into the one kept, in one transaction: its statements, verifications, counted figures, published sources, roles, participations and member organisations move to the kept one; its name and aliases become aliases; then it is deleted. Refused for the same organisation twice, or when the kept one is part of the duplicate.',
    authScopes: { admin: true },
    unauthorizedError: adminOnly,
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      keep: t.arg.globalID({ for: [Organisation], required: true, description: MERGE_KEEP('organisation') }),
      duplicate: t.arg.globalID({ for: [Organisation], required: true, description: MERGE_DUPLICATE('organisation') }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, args, ctx) => {
      const target = { keepId: databaseId(args.keep), duplicateId: databaseId(args.duplicate) };
      return run(ctx, 'mergeOrganisations', target, args.idempotencyKey, (tx) => mergeOrganisations(tx, actorOf(ctx), target));
    },
  }),
  mergeOfficials: t.field({
    type: OfficialMergePayload,
    description:
      "Admins only. Merges a duplicate official into the one kept, in one transaction: statements, roles and participations move; the duplicate's name and aliases become aliases; then it is deleted. Refused for the same official twice.",
    authScopes: { admin: true },
    unauthorizedError: adminOnly,
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      keep: t.arg.globalID({ for: [Official], required: true, description: MERGE_KEEP('official') }),
      duplicate: t.arg.globalID({ for: [Official], required: true, description: MERGE_DUPLICATE('official') }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, args, ctx) => {
      const target = { keepId: databaseId(args.keep), duplicateId: databaseId(args.duplicate) };
      return run(ctx, 'mergeOfficials', target, args.idempotencyKey, (tx) => mergeOfficials(tx, actorOf(ctx), target));
    },
  }),
  mergePlaces: t.field({
    type: PlaceMergePayload,
    description:
      'Admins only. Merges a duplicate place into the one kept, in one transaction: incidents, figures, roles, organisations (as their country) and places inside it move; its name and aliases become aliases; then it is deleted. Refused for the same place twice, or when the kept place lies inside the duplicate.',
    authScopes: { admin: true },
    unauthorizedError: adminOnly,
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      keep: t.arg.globalID({ for: [Place], required: true, description: MERGE_KEEP('place') }),
      duplicate: t.arg.globalID({ for: [Place], required: true, description: MERGE_DUPLICATE('place') }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, args, ctx) => {
      const target = { keepId: databaseId(args.keep), duplicateId: databaseId(args.duplicate) };
      return run(ctx, 'mergePlaces', target, args.idempotencyKey, (tx) => mergePlaces(tx, actorOf(ctx), target));
    },
  }),
}));

function roles(list: readonly { title: string; organisation?: GlobalId | null; place?: GlobalId | null; startedOn?: Date | null; endedOn?: Date | null }[] | null | undefined) {
  if (list == null) return list;
  return list.map(({ organisation, place, ...role }) => ({ ...role, organisationId: ref(organisation), placeId: ref(place) }));
}

function participants(
  list: readonly { role: string; description: string; organisation?: GlobalId | null; official?: GlobalId | null; basis?: GlobalId | null }[] | null | undefined,
) {
  if (list == null) return list;
  return list.map(({ organisation, official, basis, ...participant }) => ({
    ...participant,
    organisationId: ref(organisation),
    officialId: ref(official),
    basisId: ref(basis),
  }));
}
