// The audit trail, and the feed partners sync from: every change, in commit order.
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { boundedTotalCount } from './counts.js';
import { DateRangeInput, oncePerArgs, periodArg } from './common.js';

builder.prismaNode('Change', {
  // `node(id:)` answers null for an id that no longer exists (merged away, deleted).
  nullable: true,
  description:
    'One change to one entity: what was done (CREATE, REVISE, RETRACT, MERGE, UPDATE), when, and the entity before and after. Retractions and merges are changes too, so a partner syncing from `changes` misses nothing.',
  id: { field: 'id' },
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'When the change was committed.' }),
    operation: t.exposeString('operation', { description: 'CREATE, REVISE, RETRACT, MERGE or UPDATE.' }),
    entityType: t.exposeString('entityType', { description: 'The kind of entity changed (Statement, Figure, Organisation...).' }),
    entityId: t.globalID({
      description: 'The global ID of the entity changed: fetch its current state with `node(id:)`.',
      resolve: (change) => ({ type: change.entityType, id: change.entityId }),
    }),
    before: t.string({
      nullable: true,
      description: 'The entity before the change, as JSON; null for a creation.',
      resolve: (change) => (change.before === null ? null : JSON.stringify(change.before)),
    }),
    after: t.string({
      nullable: true,
      description: 'The entity after the change, as JSON.',
      resolve: (change) => (change.after === null ? null : JSON.stringify(change.after)),
    }),
    apiKey: t.relation('apiKey', {
      nullable: true,
      description: 'The API key that made the change (admins only); null for the command line or seed.',
      authScopes: { admin: true },
    }),
  }),
});

const ChangeFilter = builder.inputType('ChangeFilter', {
  description: 'Which changes to list.',
  fields: (t) => ({
    between: t.field({ type: DateRangeInput, required: false, description: 'Changes committed in this range ("everything since T": give only `from`).' }),
    entityTypes: t.stringList({ required: false, description: 'Only changes to these kinds of entity ("Figure", "Statement").' }),
    operations: t.stringList({ required: false, description: 'Only these operations ("RETRACT", "MERGE").' }),
  }),
});

const changesWhere = oncePerArgs(async (args: { filter?: typeof ChangeFilter.$inferInput | null }): Promise<Prisma.ChangeWhereInput> => {
  const period = periodArg(args.filter?.between, 'filter.between');
  const at = period ? { ...(period.from ? { gte: period.from } : {}), ...(period.until ? { lt: period.until } : {}) } : null;
  return {
    ...(at ? { at } : {}),
    ...(args.filter?.entityTypes ? { entityType: { in: args.filter.entityTypes } } : {}),
    ...(args.filter?.operations ? { operation: { in: args.filter.operations } } : {}),
  };
});

builder.queryFields((t) => ({
  changes: t.prismaConnection(
    {
      type: 'Change',
      cursor: 'id',
      description:
        'Every change in commit order: the audit trail, and the feed for incremental sync. Keep the last `endCursor` and ask again with `after` for everything changed since.',
      args: { filter: t.arg({ type: ChangeFilter, required: false, description: 'Which changes to list.' }) },
      resolve: async (query, _root, args, ctx) => ctx.prisma.change.findMany({ ...query, where: await changesWhere(args, ctx), orderBy: { id: 'asc' } }),
      totalCount: boundedTotalCount(async (_root, args: Parameters<typeof changesWhere>[0], ctx, take) =>
        ctx.prisma.change.count({ where: await changesWhere(args, ctx), take }),
      ),
    },
    { description: 'A page of changes.' },
    { description: 'A change in the list.' },
  ),
}));

for (const model of ['Statement', 'Figure', 'Organisation', 'Official', 'Place', 'Incident', 'Source'] as const) {
  builder.prismaObjectField(model, 'history', (t) =>
    t.prismaField({
      type: ['Change'],
      description: 'Every recorded change to this entity, oldest first.',
      resolve: (query, entity, _args, ctx) =>
        ctx.prisma.change.findMany({ ...query, where: { entityType: model, entityId: entity.id }, orderBy: { id: 'asc' } }),
    }),
  );
}
