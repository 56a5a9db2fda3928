// Officials: people who speak or act, named or known only by their role.
import { builder } from './builder.js';
import type { Prisma } from '../generated/prisma/client.js';
import { statementsPage } from './keyset.js';
import { boundedTotalCount } from './counts.js';
import { INCLUDE_RETRACTED, visibleParticipantWhere, visibleStatementWhere } from '../claims/filters.js';
import { officialName } from '../claims/claimants.js';
import { Claimant } from './claimant.js';

export const Official = builder.prismaNode('Official', {
  // `node(id:)` answers null for an id that no longer exists (merged away, deleted).
  nullable: true,
  description:
    'A person who makes statements or takes part in incidents. Reporting often names only the role ("the area\'s top civil administrator"): then `reportedName` is null, `name` is that description, and no name is invented.',
  id: { field: 'id' },
  interfaces: [Claimant],
  fields: (t) => ({
    reportedName: t.exposeString('name', {
      nullable: true,
      description: "The person's name, when the reporting gives it; null when it gives only a role or a description.",
    }),
    description: t.exposeString('description', {
      nullable: true,
      description: 'How the reporting refers to the person ("a senior police officer").',
    }),
    displayName: t.string({
      description: 'The name when known, otherwise the description: what to show in a list.',
      deprecationReason: 'Use `name`, which every claimant has and which is the same.',
      resolve: (official) => officialName(official),
    }),
    aliases: t.exposeStringList('aliases', { description: 'Other spellings of the name.' }),
    roles: t.relation('roles', {
      description: 'Roles the person holds or held: title, organisation, place, dates.',
      query: { orderBy: [{ startedOn: { sort: 'desc', nulls: 'last' } }, { id: 'asc' }] },
    }),
    statements: t.prismaConnection(
      {
        type: 'Statement',
        cursor: 'id',
        description: 'Statements the person made, newest first. Retracted statements are left out unless asked for.',
        args: { includeRetracted: t.arg.boolean({ required: false, description: INCLUDE_RETRACTED }) },
        resolve: (query, official, args, ctx) => statementsPage(query, ctx, statementsOf(official.id, args)),
        totalCount: (official, args, ctx) => ctx.prisma.statement.count({ where: statementsOf(official.id, args) }),
      },
      { description: 'A page of statements.' },
      { description: 'A statement in the list.' },
    ),
    participations: t.relatedConnection('participations', {
      cursor: 'id',
      totalCount: true,
      description:
        'Incidents the person was part of (for example as an abducted official). A participation resting on a retracted statement is left out unless asked for.',
      args: { includeRetracted: t.arg.boolean({ required: false, description: INCLUDE_RETRACTED }) },
      query: (args) => ({ where: visibleParticipantWhere({ includeRetracted: args.includeRetracted }), orderBy: { id: 'asc' } }),
    }),
  }),
});

builder.prismaObject('OfficialRole', {
  name: 'OfficialRole',
  description: 'A role a person holds or held: a title, in an organisation and/or for a place, between dates.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'The title as reported ("Interior Minister").' }),
    official: t.relation('official', { description: 'The person holding the role.' }),
    organisation: t.relation('organisation', { nullable: true, description: 'The organisation the role is in.' }),
    place: t.relation('place', { nullable: true, description: 'The place the role is responsible for.' }),
    startedOn: t.expose('startedOn', { type: 'DateTime', nullable: true, description: 'When the role began, if known.' }),
    endedOn: t.expose('endedOn', {
      type: 'DateTime',
      nullable: true,
      description: 'When the role ended; null while it is held or when unknown.',
    }),
  }),
});

builder.queryFields((t) => ({
  officials: t.prismaConnection(
    {
      type: 'Official',
      cursor: 'id',
      description: 'Officials, in the order they were recorded.',
      resolve: (query, _root, _args, ctx) => ctx.prisma.official.findMany({ ...query, orderBy: { id: 'asc' } }),
      totalCount: boundedTotalCount((_root, _args, ctx, take) => ctx.prisma.official.count({ take })),
    },
    { description: 'A page of officials.' },
    { description: 'An official in the list.' },
  ),
}));

/** The official's own statements, those in current views unless asked. */
function statementsOf(officialId: number, args: { includeRetracted?: boolean | null }): Prisma.StatementWhereInput {
  return { AND: [{ officialId: officialId }, visibleStatementWhere({ includeRetracted: args.includeRetracted })] };
}
