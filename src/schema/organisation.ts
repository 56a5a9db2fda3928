// Organisations: armed groups, forces, government bodies, news agencies and outlets.
import { OrganisationKind } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { statementsPage } from './keyset.js';
import { boundedTotalCount } from './counts.js';
import type { Prisma } from '../generated/prisma/client.js';
import { describedEnum } from './common.js';
import { Claimant } from './claimant.js';
import { INCLUDE_RETRACTED, visibleFigureWhere, visibleParticipantWhere, visibleStatementWhere } from '../claims/filters.js';

export const OrganisationKindEnum = describedEnum('OrganisationKind', 'What kind of body an organisation is.', OrganisationKind, {
  ARMED_GROUP: 'A non-state armed group (the Baloch Liberation Army).',
  MILITARY: 'A state military or one of its branches.',
  POLICE: 'A police force or police unit.',
  SECURITY_FORCES: 'State security forces described as a whole, or a security unit that is not plainly military or police.',
  GOVERNMENT: 'A national or provincial government as a whole.',
  GOVERNMENT_BODY: 'A ministry, department or other body of a government (the Interior Ministry).',
  NEWS_AGENCY: 'A news agency whose reports other outlets carry (Reuters).',
  NEWS_OUTLET: 'A newspaper, broadcaster or news website (The Indian Express).',
  NEWS_DESK: 'A desk or team inside a news outlet (the Express Global Desk).',
  HOSPITAL: 'A hospital or health authority.',
  NGO: 'A non-governmental organisation or monitoring group.',
  OTHER: 'Any other kind of organisation.',
});

export const Organisation = builder.prismaNode('Organisation', {
  // `node(id:)` answers null for an id that no longer exists (merged away, deleted).
  nullable: true,
  description: 'An organisation that makes statements, takes part in incidents, is counted in figures or publishes sources.',
  id: { field: 'id' },
  // `name` (the full name) comes from the interface.
  interfaces: [Claimant],
  fields: (t) => ({
    aliases: t.exposeStringList('aliases', { description: 'Abbreviations and other names ("BLA").' }),
    kind: t.expose('kind', { type: OrganisationKindEnum, description: 'What kind of body it is.' }),
    description: t.exposeString('description', { nullable: true, description: 'A short description.' }),
    notes: t.exposeString('notes', { nullable: true, description: 'Editorial notes ("banned separatist group").' }),
    country: t.relation('country', { nullable: true, description: 'The country it belongs to, when known.' }),
    parent: t.relation('parent', { nullable: true, description: 'The organisation it is part of, if any.' }),
    children: t.relation('children', {
      description: 'Units, desks or bodies that are part of it, by name.',
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
    members: t.relation('roles', {
      description: 'Roles held in this organisation, with the officials who hold or held them, in the order they were recorded.',
      query: { orderBy: { id: 'asc' } },
    }),
    statements: t.prismaConnection(
      {
        type: 'Statement',
        cursor: 'id',
        description: 'Statements the organisation made itself (its claims), newest first. Retracted statements are left out unless asked for.',
        args: { includeRetracted: t.arg.boolean({ required: false, description: INCLUDE_RETRACTED }) },
        resolve: (query, organisation, args, ctx) => statementsPage(query, ctx, statementsOf(organisation.id, args)),
        totalCount: (organisation, args, ctx) => ctx.prisma.statement.count({ where: statementsOf(organisation.id, args) }),
      },
      { description: 'A page of statements.' },
      { description: 'A statement in the list.' },
    ),
    participations: t.relatedConnection('participations', {
      cursor: 'id',
      totalCount: true,
      description:
        'Incidents it took part in, and in what role (perpetrator, target, responder). A participation resting on a retracted statement is left out unless asked for.',
      args: { includeRetracted: t.arg.boolean({ required: false, description: INCLUDE_RETRACTED }) },
      query: (args) => ({ where: visibleParticipantWhere({ includeRetracted: args.includeRetracted }), orderBy: { id: 'asc' } }),
    }),
    publishedSources: t.relatedConnection('sources', {
      cursor: 'id',
      totalCount: true,
      description: 'Reports, articles and other sources it published, in the order they were recorded.',
      query: { orderBy: { id: 'asc' } },
    }),
    countedInFigures: t.relatedConnection('countedInFigures', {
      cursor: 'id',
      totalCount: true,
      description:
        "Figures that count this organisation's people (its members killed, injured...), by any claimant. Retracted figures are left out unless asked for.",
      args: { includeRetracted: t.arg.boolean({ required: false, description: INCLUDE_RETRACTED }) },
      query: (args) => ({ where: visibleFigureWhere({ includeRetracted: args.includeRetracted }), orderBy: { id: 'asc' } }),
    }),
  }),
});

const OrganisationFilter = builder.inputType('OrganisationFilter', {
  description: 'Narrows a list of organisations.',
  fields: (t) => ({
    kinds: t.field({ type: [OrganisationKindEnum], required: false, description: 'Only these kinds of organisation.' }),
    name: t.string({
      required: false,
      description: 'Only organisations whose name or an alias contains this text, ignoring case ("bla", "baloch").',
    }),
  }),
});

function organisationsWhere(filter: typeof OrganisationFilter.$inferInput | null | undefined): Prisma.OrganisationWhereInput {
  const where: Prisma.OrganisationWhereInput[] = [];
  if (filter?.kinds) where.push({ kind: { in: filter.kinds } });
  const name = filter?.name?.trim();
  if (name) {
    // Aliases are short abbreviations: an exact, case-insensitive match is what people mean.
    const aliasForms = [...new Set([name, name.toUpperCase(), name.toLowerCase()])];
    where.push({ OR: [{ name: { contains: name, mode: 'insensitive' } }, { aliases: { hasSome: aliasForms } }] });
  }
  return { AND: where };
}

builder.queryFields((t) => ({
  organisations: t.prismaConnection(
    {
      type: 'Organisation',
      cursor: 'id',
      description: 'Organisations, by name.',
      args: { filter: t.arg({ type: OrganisationFilter, required: false, description: 'Conditions the listed items must meet; leave out to list all.' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.prisma.organisation.findMany({ ...query, where: organisationsWhere(args.filter), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
      totalCount: boundedTotalCount((_root, args: { filter?: Parameters<typeof organisationsWhere>[0] }, ctx, take) =>
        ctx.prisma.organisation.count({ where: organisationsWhere(args.filter), take }),
      ),
    },
    { description: 'A page of organisations.' },
    { description: 'An organisation in the list.' },
  ),
}));

/** The organisation's own statements, those in current views unless asked. */
function statementsOf(organisationId: number, args: { includeRetracted?: boolean | null }): Prisma.StatementWhereInput {
  return { AND: [{ organisationId: organisationId }, visibleStatementWhere({ includeRetracted: args.includeRetracted })] };
}
