// Incidents: attacks, abductions, operations. They nest (a coordinated attack and its parts),
// happen at places, and have participants in roles.
import type { Prisma } from '../generated/prisma/client.js';
import { IncidentKind, ParticipantRole } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { boundedTotalCount } from './counts.js';
import { claimantKey } from '../claims/standing.js';
import { claimantOf, claimantSelection } from './claimant.js';
import { DatePrecisionEnum, describedEnum, oncePerArgs } from './common.js';
import { ClaimantFigures, figureOrder } from './figure.js';
import { asOfArg, idOf, INCLUDE_RETRACTED, standingWhere, visibleFigureWhere, visibleParticipantWhere, visibleStatementWhere } from '../claims/filters.js';
import { incidentOverlapsWhere } from '../claims/periods.js';
import { asOfMoment, periodOf } from '../rules/dates.js';
import { bool, dateRangeInput, described, enumList, inputObject, ref } from '../rules/fields.js';
import { inputTypeOf, readArgument } from './inputs.js';
import { Place } from './place.js';
import { incidentsPage } from './keyset.js';
import { withDescendants } from '../claims/trees.js';

export const IncidentKindEnum = describedEnum('IncidentKind', 'What kind of incident this is.', IncidentKind, {
  COORDINATED_ATTACK: 'Several attacks launched together; its parts are its sub-incidents.',
  ARMED_ATTACK: 'An attack with firearms or other weapons on people or a place.',
  BOMBING: 'A deliberate bombing.',
  EXPLOSION: 'A blast whose cause or author is not (yet) established.',
  ABDUCTION: 'People taken captive.',
  BLOCKADE: 'Roads or places blocked by armed people.',
  SECURITY_OPERATION: 'An operation or raid by security forces.',
  CLASH: 'Fighting between armed parties.',
  OTHER: 'Any other kind of incident.',
});

const ParticipantRoleEnum = describedEnum('ParticipantRole', 'How a participant took part in an incident.', ParticipantRole, {
  PERPETRATOR: 'Carried out the incident (or claimed to: see `basis`).',
  TARGET: 'Was the target of the incident.',
  RESPONDER: 'Responded to it (security forces, rescuers).',
  OPERATOR: 'Carried out a security operation (the military for its raids).',
  VICTIM: 'Was harmed or taken captive.',
});

builder.prismaObject('IncidentParticipant', {
  description: 'Someone who took part in an incident, and how. Unnamed participants ("armed men") are kept in the reporting\'s words.',
  fields: (t) => ({
    role: t.expose('role', { type: ParticipantRoleEnum, description: 'Perpetrator, target, responder or victim.' }),
    description: t.exposeString('description', { description: 'How the reporting describes the participant ("militants").' }),
    organisation: t.relation('organisation', { nullable: true, description: 'The organisation, when one is named.' }),
    official: t.relation('official', { nullable: true, description: 'The official, when one is involved.' }),
    incident: t.relation('incident', { description: 'The incident.' }),
    basis: t.relation('basis', {
      nullable: true,
      description: 'The statement this participation rests on (the BLA is a perpetrator because it claimed responsibility).',
    }),
  }),
});

export const Incident = builder.prismaNode('Incident', {
  // Select mode: a query loads only the columns its fields need (see README, Performance).
  select: { id: true },
  // `node(id:)` answers null for an id that no longer exists (merged away, deleted).
  nullable: true,
  description:
    'Something that happened: an attack, an abduction, a security operation. Incidents nest: a province-wide coordinated attack has its parts (the Gwadar camp attack, the Noshki abduction).',
  id: { field: 'id' },
  fields: (t) => ({
    title: t.exposeString('title', { description: 'A short neutral title.' }),
    kind: t.expose('kind', { type: IncidentKindEnum, description: 'Attack, abduction, operation...' }),
    description: t.exposeString('description', { nullable: true, description: 'What happened, in a few sentences.' }),
    startedAt: t.expose('startedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it happened (or began); null when the reporting gives no date.',
    }),
    endedAt: t.expose('endedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it ended, for incidents over several days, or the latest date it can have happened by.',
    }),
    datePrecision: t.expose('datePrecision', { type: DatePrecisionEnum, description: 'How precisely the dates are known.' }),
    parent: t.relation('parent', { nullable: true, description: 'The larger incident this is part of.' }),
    subIncidents: t.relation('children', {
      description: 'The parts of this incident (one level down).',
      query: { orderBy: { id: 'asc' } },
    }),
    places: t.field({
      type: [Place],
      description: 'Where it happened.',
      select: (_args, _ctx, nestedSelection) => ({
        places: { select: { place: nestedSelection(true) }, orderBy: { placeId: 'asc' } },
      }),
      resolve: (incident) => incident.places.map((link) => link.place),
    }),
    participants: t.relation('participants', {
      description:
        'Who took part and how: perpetrators, targets, responders, victims. A participation resting on a retracted statement (a withdrawn responsibility claim) is left out unless asked for.',
      args: { includeRetracted: t.arg.boolean({ required: false, description: INCLUDE_RETRACTED }) },
      query: (args) => ({ where: visibleParticipantWhere({ includeRetracted: args.includeRetracted }), orderBy: { id: 'asc' } }),
    }),
    figures: t.relatedConnection('figures', {
      cursor: 'id',
      totalCount: true,
      description:
        'Figures counted for this incident itself (not its sub-incidents), superseded ones included. Retracted figures are left out unless asked for.',
      args: { includeRetracted: t.arg.boolean({ required: false, description: INCLUDE_RETRACTED }) },
      query: (args) => ({ where: visibleFigureWhere({ includeRetracted: args.includeRetracted }), orderBy: figureOrder }),
    }),
    claimantFigures: t.field({
      type: [ClaimantFigures],
      description:
        "Who claimed which figures: every claimant's current figures for this incident (and, by default, its sub-incidents), side by side. Superseded and retracted figures are left out; each figure's `revisionHistory` shows what it replaced.",
      args: {
        includeSubIncidents: t.arg.boolean({
          defaultValue: true,
          description: 'Also include figures for the parts of this incident.',
        }),
        asOf: t.arg({
          type: 'DateTime',
          required: false,
          description:
            'Answer as the record stood at this moment: the figures then claimed and not yet revised or retracted. A date means the end of that day.',
        }),
      },
      resolve: async (incident, args, ctx) => {
        const asOf = readArgument(asOfArg, args.asOf, 'asOf');
        const incidentIds = args.includeSubIncidents ? await withDescendants(ctx.prisma, 'incident', [incident.id]) : [incident.id];
        const figures = await ctx.prisma.figure.findMany({
          where: { AND: [{ incidentId: { in: incidentIds } }, standingWhere(asOf && asOfMoment(asOf))] },
          include: { statement: { include: claimantSelection } },
          orderBy: figureOrder,
        });
        const groups = new Map<string, { claimant: ReturnType<typeof claimantOf>; figures: typeof figures }>();
        for (const figure of figures) {
          const key = claimantKey(figure.statement);
          const group = groups.get(key) ?? { claimant: claimantOf(figure.statement), figures: [] };
          group.figures.push(figure);
          groups.set(key, group);
        }
        return [...groups.values()];
      },
    }),
  }),
});

export const incidentFilterInput = inputObject('IncidentFilter', 'Narrows a list of incidents. All given conditions must hold.', {
  kinds: enumList(IncidentKind, 'Only these kinds.').nullish(),
  between: described(
    dateRangeInput,
    'Only incidents whose period overlaps this range: an incident of 4 to 6 March is found for 5 March; one known only to have happened on or before 30 January is found for any range reaching 30 January or earlier. Incidents with no date at all are found by no date range.',
  ).nullish(),
  place: ref(['Place'], 'Only incidents at this place or any place inside it.').nullish(),
  organisation: ref(
    ['Organisation'],
    'Only incidents this organisation took part in or made a statement about (retracted statements and the participations resting on them do not count).',
  ).nullish(),
  official: ref(
    ['Official'],
    'Only incidents this official took part in or made a statement about (retracted statements and the participations resting on them do not count).',
  ).nullish(),
  topLevelOnly: bool('Leave out incidents that are part of a larger one (default false).').nullish(),
});

const IncidentFilter = inputTypeOf(incidentFilterInput);

/** Took part in (by a participation in current views) or made a statement about (one in current views). */
function involving(who: { organisationId: number } | { officialId: number }): Prisma.IncidentWhereInput {
  return {
    OR: [
      { participants: { some: { AND: [who, visibleParticipantWhere()] } } },
      { statements: { some: { statement: { AND: [who, visibleStatementWhere()] } } } },
    ],
  };
}

const incidentsWhere = oncePerArgs(async (args: { filter?: unknown }, ctx): Promise<Prisma.IncidentWhereInput> => {
  const filter = readArgument(incidentFilterInput, args.filter, 'filter');
  const where: Prisma.IncidentWhereInput[] = [];
  if (filter?.kinds) where.push({ kind: { in: filter.kinds } });
  const period = periodOf(filter?.between);
  if (period) where.push(incidentOverlapsWhere(period));
  if (filter?.topLevelOnly) where.push({ parentId: null });
  if (filter?.place) {
    const placeIds = await withDescendants(ctx.prisma, 'place', [idOf(filter.place)!]);
    where.push({ places: { some: { placeId: { in: placeIds } } } });
  }
  if (filter?.organisation) where.push(involving({ organisationId: idOf(filter.organisation)! }));
  if (filter?.official) where.push(involving({ officialId: idOf(filter.official)! }));
  return { AND: where };
});

builder.queryFields((t) => ({
  incidents: t.prismaConnection(
    {
      type: 'Incident',
      cursor: 'id',
      description: 'Incidents, newest first, narrowed by `filter`.',
      args: { filter: t.arg({ type: IncidentFilter, required: false, description: 'Conditions the listed items must meet; leave out to list all.' }) },
      resolve: async (query, _root, args, ctx) => incidentsPage(query, ctx, await incidentsWhere(args, ctx)),
      totalCount: boundedTotalCount(async (_root, args: { filter?: unknown }, ctx, take) =>
        ctx.prisma.incident.count({ where: await incidentsWhere(args, ctx), take }),
      ),
    },
    { description: 'A page of incidents.' },
    { description: 'An incident in the list.' },
  ),
}));
