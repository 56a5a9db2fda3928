// Creating and editing organisations, officials, places, sources and incidents, and merging
// duplicates. The rules and inputs live in src/writes/; this file offers them as mutations.
// Updates carry the `updatedAt` the writer read (`expectedUpdatedAt`): if the record changed
// since, the update is refused with a Conflict instead of silently overwriting.
import type { z } from 'zod';
import { GraphQLError } from 'graphql';
import type { Context } from '../context.js';
import type { EditableType, EntityWriteResult } from '../writes/editing.js';
import { createIncident, createIncidentInput, updateIncident, updateIncidentInput } from '../writes/incidents.js';
import { mergeOfficials, mergeOrganisations, mergePlaces, type MergeableType, type MergeResult } from '../writes/merges.js';
import { createOfficial, createOfficialInput, updateOfficial, updateOfficialInput } from '../writes/officials.js';
import { createOrganisation, createOrganisationInput, updateOrganisation, updateOrganisationInput } from '../writes/organisations.js';
import { createPlace, createPlaceInput, updatePlace, updatePlaceInput } from '../writes/places.js';
import type { WriteSession } from '../writes/session.js';
import { createSource, createSourceInput, updateSource, updateSourceInput } from '../writes/sources.js';
import { builder } from './builder.js';
import { inputTypeOf } from './inputs.js';
import { WRITE_ERRORS } from './write-errors.js';
import { IDEMPOTENCY_KEY, runWrite } from './writes.js';

const UPDATED_AT_DESCRIPTION =
  'When this was last changed. Send it back as `expectedUpdatedAt` when you update it: if someone changed it in between, the update is refused with a Conflict.';
for (const model of ['Organisation', 'Official', 'Place', 'Source', 'Incident'] as const) {
  builder.prismaObjectField(model, 'updatedAt', (t) => t.expose('updatedAt', { type: 'DateTime', description: UPDATED_AT_DESCRIPTION }));
}

const lowerFirst = <S extends string>(name: S) => (name.charAt(0).toLowerCase() + name.slice(1)) as Uncapitalize<S>;
const delegate = (ctx: Context, model: EditableType) => ctx.prisma[lowerFirst(model)] as unknown as { findUniqueOrThrow(args: object): Promise<never> };

function entityPayload(model: EditableType) {
  const what = model.toLowerCase();
  return builder.objectRef<EntityWriteResult>(`${model}WritePayload`).implement({
    description: `The ${what} created or changed (or, for a repeated request, the one that already existed).`,
    fields: (t) => ({
      [lowerFirst(model)]: t.prismaField({
        type: model,
        description: `The ${what}, as it is now.`,
        resolve: (query, result, _args, ctx) => delegate(ctx, model).findUniqueOrThrow({ ...query, where: { id: result.id } }),
      }),
      replayed: t.exposeBoolean('replayed', {
        description:
          'True when nothing new was written: the same creation again (same external ID and content, or idempotency key), or an update that changed nothing.',
      }),
    }),
  });
}

const MovedReferences = builder.objectRef<{ reference: string; count: number }>('MovedReferences').implement({
  description: 'How many references of one kind moved from the duplicate to the record kept.',
  fields: (t) => ({
    reference: t.exposeString('reference', {
      description:
        'Which reference, as table.column ("Statement.organisationId": statements made by the organisation; "ExternalId.entityId": partners\' own IDs).',
    }),
    count: t.exposeInt('count', { description: 'How many moved.' }),
  }),
});

function mergePayload(model: MergeableType) {
  const what = model.toLowerCase();
  return builder.objectRef<MergeResult>(`${model}MergePayload`).implement({
    description: `The ${what} kept after a merge, and what moved to it from the duplicate (which no longer exists).`,
    fields: (t) => ({
      [lowerFirst(model)]: t.prismaField({
        type: model,
        description: `The ${what} kept, with everything that referred to the duplicate.`,
        resolve: (query, result, _args, ctx) => delegate(ctx, model).findUniqueOrThrow({ ...query, where: { id: result.keptId } }),
      }),
      moved: t.field({
        type: [MovedReferences],
        description: 'How many references of each kind moved from the duplicate.',
        resolve: (result) => Object.entries(result.moved).map(([reference, count]) => ({ reference, count })),
      }),
      addedAliases: t.exposeStringList('addedAliases', {
        description: "Names the kept record gained as aliases: the duplicate's name and aliases it did not have yet.",
      }),
      replayed: t.exposeBoolean('replayed', { description: 'True when this repeats an earlier request (same idempotency key) and nothing new was written.' }),
    }),
  });
}

type Write<Result> = (session: WriteSession, input: unknown) => Promise<Result>;

interface EntityWrites {
  model: EditableType;
  create: { input: z.ZodType; write: Write<EntityWriteResult>; description: string };
  update: { input: z.ZodType; write: Write<EntityWriteResult>; description: string };
}

const WRITES: EntityWrites[] = [
  {
    model: 'Organisation',
    create: { input: createOrganisationInput, write: createOrganisation, description: 'Creates an organisation.' },
    update: {
      input: updateOrganisationInput,
      write: updateOrganisation,
      description:
        'Changes an organisation, if nobody else changed it since you read it (`expectedUpdatedAt`). Refuses a parent that would make the organisation part of itself.',
    },
  },
  {
    model: 'Official',
    create: {
      input: createOfficialInput,
      write: createOfficial,
      description:
        'Creates an official with their roles. The name may be left out when the reporting gives only a role ("the area\'s top civil administrator"); then a description is needed.',
    },
    update: {
      input: updateOfficialInput,
      write: updateOfficial,
      description: 'Changes an official, if nobody else changed them since you read it (`expectedUpdatedAt`). A `roles` list replaces all roles.',
    },
  },
  {
    model: 'Place',
    create: { input: createPlaceInput, write: createPlace, description: 'Creates a place.' },
    update: {
      input: updatePlaceInput,
      write: updatePlace,
      description:
        'Changes a place, if nobody else changed it since you read it (`expectedUpdatedAt`). Refuses a parent that would put the place inside itself.',
    },
  },
  {
    model: 'Source',
    create: { input: createSourceInput, write: createSource, description: 'Creates a source.' },
    update: {
      input: updateSourceInput,
      write: updateSource,
      description: 'Changes a source, if nobody else changed it since you read it (`expectedUpdatedAt`).',
    },
  },
  {
    model: 'Incident',
    create: { input: createIncidentInput, write: createIncident, description: 'Creates an incident with its places and participants.' },
    update: {
      input: updateIncidentInput,
      write: updateIncident,
      description:
        'Changes an incident, if nobody else changed it since you read it (`expectedUpdatedAt`). A `places` or `participants` list replaces the old one. Refuses a parent that would make the incident part of itself.',
    },
  },
];

const REPLAY = ' Sending the same creation again (same `externalId` and content) returns the existing record instead of a duplicate.';

for (const { model, create, update } of WRITES) {
  const payload = entityPayload(model);
  builder.mutationFields((t) => ({
    [`create${model}`]: t.field({
      type: payload,
      description: create.description + REPLAY,
      errors: { types: WRITE_ERRORS, directResult: true },
      args: {
        input: t.arg({ type: inputTypeOf(create.input), required: true, description: `The ${model.toLowerCase()}.` }),
        idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
      },
      resolve: (_root, { input, idempotencyKey }, ctx) => runWrite(ctx, `create${model}`, input, idempotencyKey, (session) => create.write(session, input)),
    }),
    [`update${model}`]: t.field({
      type: payload,
      description: update.description,
      errors: { types: WRITE_ERRORS, directResult: true },
      args: {
        input: t.arg({
          type: inputTypeOf(update.input),
          required: true,
          description: `The ${model.toLowerCase()}, the \`updatedAt\` you read, and the changes.`,
        }),
        idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
      },
      resolve: (_root, { input, idempotencyKey }, ctx) => runWrite(ctx, `update${model}`, input, idempotencyKey, (session) => update.write(session, input)),
    }),
  }));
}

/** Merges need the ADMIN scope: say so plainly to a WRITE key. */
const adminOnly = (_parent: unknown, _args: unknown, ctx: Context, info: { parentType: { name: string }; fieldName: string }) =>
  new GraphQLError(
    `${info.parentType.name}.${info.fieldName} merges records and needs an API key with the ADMIN scope; the key "${ctx.caller?.name ?? ''}" has ${ctx.caller?.scopes.join(', ') || 'no scopes'}`,
    { extensions: { code: 'FORBIDDEN' } },
  );

const MERGES: { model: MergeableType; plural: string; write: Write<MergeResult>; description: string }[] = [
  {
    model: 'Organisation',
    plural: 'Organisations',
    write: mergeOrganisations,
    description:
      "Admins only. Merges a duplicate organisation into the one kept, in one transaction: its statements, verifications, counted figures, published sources, roles, participations, member organisations and partners' external IDs move to the kept one; its name and aliases become aliases; then it is deleted. Refused for the same organisation twice, or when the kept one is part of the duplicate.",
  },
  {
    model: 'Official',
    plural: 'Officials',
    write: mergeOfficials,
    description:
      "Admins only. Merges a duplicate official into the one kept, in one transaction: statements, roles, participations and partners' external IDs move; the duplicate's name and aliases become aliases; then it is deleted. Refused for the same official twice.",
  },
  {
    model: 'Place',
    plural: 'Places',
    write: mergePlaces,
    description:
      "Admins only. Merges a duplicate place into the one kept, in one transaction: incidents, figures, roles, organisations (as their country), places inside it and partners' external IDs move; its name and aliases become aliases; then it is deleted. Refused for the same place twice, or when the kept place lies inside the duplicate.",
  },
];

for (const { model, plural, write, description } of MERGES) {
  const what = model.toLowerCase();
  const payload = mergePayload(model);
  builder.mutationFields((t) => ({
    [`merge${plural}`]: t.field({
      type: payload,
      description,
      authScopes: { admin: true },
      unauthorizedError: adminOnly,
      errors: { types: WRITE_ERRORS, directResult: true },
      args: {
        keep: t.arg.id({ required: true, description: `The ${what} to keep: everything that referred to the duplicate moves to it.` }),
        duplicate: t.arg.id({
          required: true,
          description: `The duplicate ${what}: its references move to \`keep\`, its name and aliases become aliases of \`keep\`, then it is deleted.`,
        }),
        idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
      },
      resolve: (_root, { idempotencyKey, ...input }, ctx) => runWrite(ctx, `merge${plural}`, input, idempotencyKey, (session) => write(session, input)),
    }),
  }));
}
