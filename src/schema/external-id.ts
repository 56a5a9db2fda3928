// Partners' own IDs, read back: the record one of your external IDs names, and the list of your
// external IDs — so a partner needs no map of its own from its IDs to global IDs. An external
// ID belongs to the API key's owner that first sent it; the local operator's (the seed's
// "seed:bla", an ACLED import's "acled:PAK123") can be looked up by everyone.
import { ENTITY_TYPES, type EntityType } from '../rules/ids.js';
import type { Context } from '../context.js';
import { builder } from './builder.js';
import { boundedTotalCount } from './counts.js';
import { describedEnum } from './common.js';

const RecordTypeEnum = describedEnum(
  'RecordType',
  'A kind of record that can carry an external ID.',
  Object.fromEntries(ENTITY_TYPES.map((type) => [type, type])) as { [T in EntityType]: T },
  {
    Place: 'A place.',
    Organisation: 'An organisation.',
    Official: 'An official.',
    Source: 'A source.',
    Incident: 'An incident.',
    Statement: 'A statement.',
    Figure: 'A figure.',
  },
);

/** Whose external IDs a caller reads: its own (when it has a key), then the local operator's. */
export const ownersOf = (ctx: Context) => [...new Set([...(ctx.caller ? [ctx.caller.owner] : []), 0])];

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** The record, shaped for the Node interface. */
async function recordOf(ctx: Context, entityType: string, id: number) {
  const table = (ctx.prisma as unknown as Record<string, { findUnique(args: object): Promise<object | null> }>)[lowerFirst(entityType)]!;
  const row = await table.findUnique({ where: { id } });
  return row ? { ...row, __typename: entityType } : null;
}

builder.prismaObject('ExternalId', {
  description: 'One of your own IDs for a record, and the record it names.',
  fields: (t) => ({
    externalId: t.exposeString('externalId', { description: 'Your ID, as you sent it.' }),
    recordType: t.field({ type: RecordTypeEnum, description: 'What kind of record it names.', resolve: (row) => row.entityType as EntityType }),
    record: t.field({
      type: builder.nodeInterfaceRef(),
      nullable: true,
      description: 'The record it names (null if it was deleted).',
      resolve: (row, _args, ctx) => recordOf(ctx, row.entityType, row.entityId) as never,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When you first sent it.' }),
  }),
});

builder.queryFields((t) => ({
  byExternalId: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description:
      'The record one of your external IDs names (yours when you send your key, else — or when you have none of that name — the local operator\'s, such as the seed\'s "seed:bla"); null when none does.',
    args: {
      recordType: t.arg({ type: RecordTypeEnum, required: true, description: 'What kind of record.' }),
      externalId: t.arg.string({ required: true, description: 'The external ID, as it was sent.' }),
    },
    resolve: async (_root, args, ctx) => {
      const owners = ownersOf(ctx);
      const rows = await ctx.prisma.externalId.findMany({ where: { ownerId: { in: owners }, entityType: args.recordType, externalId: args.externalId } });
      const row = owners.map((owner) => rows.find((r) => r.ownerId === owner)).find(Boolean);
      return (row ? await recordOf(ctx, row.entityType, row.entityId) : null) as never;
    },
  }),
  externalIds: t.prismaConnection(
    {
      type: 'ExternalId',
      cursor: 'ownerId_entityType_externalId',
      description: 'Your external IDs (for the API key you send, or for the local operator without one), oldest first, each with the record it names.',
      args: { recordTypes: t.arg({ type: [RecordTypeEnum], required: false, description: 'Only IDs of these kinds of record.' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.prisma.externalId.findMany({
          ...query,
          where: { ownerId: ctx.caller?.owner ?? 0, ...(args.recordTypes ? { entityType: { in: args.recordTypes } } : {}) },
          orderBy: [{ createdAt: 'asc' }, { entityType: 'asc' }, { externalId: 'asc' }],
        }),
      totalCount: boundedTotalCount((_root, args: { recordTypes?: string[] | null }, ctx, take) =>
        ctx.prisma.externalId.count({
          where: { ownerId: ctx.caller?.owner ?? 0, ...(args.recordTypes ? { entityType: { in: args.recordTypes } } : {}) },
          take,
        }),
      ),
    },
    { description: 'A page of your external IDs.' },
    { description: 'One of your external IDs.' },
  ),
}));

for (const model of ENTITY_TYPES) {
  builder.prismaObjectField(model, 'externalId', (t) =>
    t.string({
      nullable: true,
      description: "Your external ID for this record, when you created it with one (yours for the API key you send; the local operator's without one).",
      resolve: (record, _args, ctx) => ctx.loaders.externalId.load(`${ctx.caller?.owner ?? 0}/${model}/${record.id}`),
    }),
  );
}
