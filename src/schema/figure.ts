// Figures: the numbers statements claim, kept exactly as said. A revision is a new figure that
// supersedes the old one; nothing is overwritten.
import type { Prisma } from '../generated/prisma/client.js';
import { FigureMetric, QuantityKind, Side, VictimCategory } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { boundedTotalCount } from './counts.js';
import { Claimant, claimantOf, claimantSelection, type ClaimantShape } from './claimant.js';
import { describedEnum, oncePerArgs } from './common.js';
import { figureFilterInput, figureWhere } from '../claims/filters.js';
import { inputTypeOf, readArgument } from './inputs.js';

export const FigureMetricEnum = describedEnum('FigureMetric', 'What a figure counts.', FigureMetric, {
  KILLED: 'People killed.',
  INJURED: 'People injured.',
  ABDUCTED: 'People abducted or taken hostage.',
  ARRESTED: 'People arrested or detained.',
  MISSING: 'People missing.',
  DISPLACED: 'People displaced from their homes.',
  SURRENDERED: 'Fighters who surrendered.',
});

export const VictimCategoryEnum = describedEnum('VictimCategory', 'Who a figure counts.', VictimCategory, {
  MILITANTS: 'Members of armed groups, as the claimant calls them ("militants", "terrorists", "fighters").',
  SECURITY_PERSONNEL: 'Security personnel in general, or police and soldiers counted together.',
  SOLDIERS: 'Soldiers of a military.',
  POLICE: 'Police officers.',
  CIVILIANS: 'People the claimant calls civilians.',
  MIGRANT_WORKERS: 'Migrant workers.',
  OFFICIALS: 'Government officials or administrators.',
  PEOPLE: 'People the reporting does not categorise ("11 people").',
});

export const SideEnum = describedEnum(
  'Side',
  'Which side of the conflict the counted people belong to. Figures are comparable only when metric and side match: one side\'s "militants killed" is not the other\'s "soldiers killed".',
  Side,
  {
    STATE_FORCES: 'State military, police and security forces.',
    NON_STATE_ARMED_GROUP: 'Non-state armed groups (militants, insurgents).',
    CIVILIAN: 'Civilians.',
    UNSPECIFIED: 'The reporting does not say.',
  },
);

export const QuantityKindEnum = describedEnum(
  'QuantityKind',
  'How a quantity was said. The gateway never turns words into more precision than they carry.',
  QuantityKind,
  {
    EXACT: 'An exact number ("11"): `low` and `high` are both that number.',
    AT_LEAST: 'A lower bound ("at least 67"): `low` is set, `high` is null (open).',
    AT_MOST: 'An upper bound ("up to 20"): `high` is set, `low` is null.',
    APPROXIMATE: 'An approximate number ("some 10", "about 40"): `low` and `high` are the number said, which is not exact.',
    RANGE: 'A range ("between 10 and 15"): `low` and `high` are its ends.',
    UNQUANTIFIED: 'Only words, no number ("dozens"): `low` and `high` are null, `phrase` keeps the words.',
  },
);

type FigureRow = Prisma.FigureGetPayload<object>;

const Quantity = builder.objectRef<Pick<FigureRow, 'quantityKind' | 'low' | 'high' | 'phrase' | 'quantityReadFromPhrase'>>('Quantity').implement({
  description: 'A quantity as it was said. `low`/`high` hold only the numbers the words give: "at least 67" has low 67 and no high; "dozens" has neither.',
  fields: (t) => ({
    kind: t.expose('quantityKind', { type: QuantityKindEnum, description: 'Exact, at least, at most, approximate, range or words only.' }),
    low: t.exposeInt('low', { nullable: true, description: 'The lowest number the words allow; null when they give none.' }),
    high: t.exposeInt('high', { nullable: true, description: 'The highest number the words allow; null when open or not given.' }),
    phrase: t.exposeString('phrase', { description: 'The words used ("at least 67", "some 10", "dozens").' }),
    readFromPhrase: t.exposeBoolean('quantityReadFromPhrase', {
      description:
        'True when kind, low and high are the gateway\'s reading of `phrase` (the writer sent only the words, read by the rules in the README\'s "Quantity phrases"); false when the writer gave them.',
    }),
  }),
});

builder.prismaObject('FigureBreakdownItem', {
  name: 'BreakdownItem',
  description: 'One part of a figure\'s breakdown ("5 men" of 11 killed).',
  fields: (t) => ({
    label: t.exposeString('label', { description: 'Who this part counts ("men", "women", "children").' }),
    count: t.exposeInt('count', { description: 'How many.' }),
  }),
});

export const figureOrder: Prisma.FigureOrderByWithRelationInput[] = [{ id: 'asc' }];

export const Figure = builder.prismaNode('Figure', {
  // Select mode: a query loads only the columns its fields need (see README, Performance); the
  // quantity's columns always, since most answers show it.
  select: { id: true, quantityKind: true, low: true, high: true, phrase: true, quantityReadFromPhrase: true },
  // `node(id:)` answers null for an id that no longer exists (merged away, deleted).
  nullable: true,
  description:
    'A number a statement claims: what it counts (metric, who, which side, where), the quantity as said, and how it was revised. A revision is a new figure that supersedes the old one; nothing is overwritten.',
  id: { field: 'id' },
  fields: (t) => ({
    metric: t.expose('metric', { type: FigureMetricEnum, description: 'Killed, injured, abducted...' }),
    victimCategory: t.expose('victimCategory', { type: VictimCategoryEnum, description: 'Who was counted.' }),
    side: t.expose('side', { type: SideEnum, description: 'Which side the counted people belong to.' }),
    victimDescription: t.exposeString('victimDescription', {
      description: 'Who was counted, in the reporting\'s words ("police and security personnel").',
    }),
    countedOrganisation: t.relation('countedOrganisation', {
      nullable: true,
      description: 'Whose people were counted, when the reporting says.',
    }),
    quantity: t.field({
      type: Quantity,
      description: 'The quantity as said.',
      resolve: (figure) => figure,
    }),
    breakdown: t.relation('breakdown', {
      description: 'Parts of the figure as reported (5 men, 3 women, 3 children); empty when none was given.',
      query: { orderBy: [{ position: 'asc' }, { id: 'asc' }] },
    }),
    place: t.relation('place', { nullable: true, description: 'Where the counted people were, when the reporting says.' }),
    incident: t.relation('incident', { nullable: true, description: 'The incident the figure counts for.' }),
    statement: t.relation('statement', { description: 'The statement that claims the figure.' }),
    claimant: t.field({
      type: Claimant,
      description: 'Who claimed the figure (the claimant of its statement).',
      select: { statement: { include: claimantSelection } },
      resolve: (figure): ClaimantShape => claimantOf(figure.statement),
    }),
    supersedes: t.relation('supersedes', { nullable: true, description: 'The earlier figure this one revises.' }),
    supersededBy: t.relation('supersededBy', { nullable: true, description: 'The later figure that revises this one, if any.' }),
    isCurrent: t.boolean({
      description: 'True when the figure stands: not superseded, and neither it nor its statement retracted.',
      select: { retractedAt: true, supersededBy: { select: { id: true } }, statement: { select: { retractedAt: true } } },
      resolve: (figure) => !figure.retractedAt && !figure.supersededBy && !figure.statement.retractedAt,
    }),
    version: t.exposeInt('version', { description: 'Bumped by every change: send it back as `expectedVersion` when you revise or retract.' }),
    retractedAt: t.expose('retractedAt', { type: 'DateTime', nullable: true, description: 'When it was retracted; null if it stands.' }),
    retractionReason: t.exposeString('retractionReason', { nullable: true, description: 'Why it was retracted.' }),
  }),
});

// Added after the type exists: a field whose type is the type being defined.
builder.prismaObjectField('Figure', 'revisionHistory', (t) =>
  t.field({
    type: [Figure],
    description: 'The figures this one replaced, newest first (11 killed → replaced 5 killed). Empty for a first report.',
    resolve: (figure, _args, ctx) => ctx.loaders.earlierVersions.load(figure.id),
  }),
);

builder.prismaObjectField('Figure', 'revisionTimeline', (t) =>
  t.field({
    type: [Figure],
    description: 'Every version of this figure, oldest first, this one included: how the number changed over revisions (the Gwadar toll: five, then 11).',
    resolve: async (figure, _args, ctx) => {
      const [earlier, later] = await Promise.all([ctx.loaders.earlierVersions.load(figure.id), ctx.loaders.laterVersions.load(figure.id)]);
      return [...[...earlier].reverse(), figure, ...later];
    },
  }),
);

export const ClaimantFigures = builder.objectRef<{ claimant: ClaimantShape; figures: FigureRow[] }>('ClaimantFigures').implement({
  description: 'One claimant and the figures it currently claims.',
  fields: (t) => ({
    claimant: t.field({ type: Claimant, description: 'Who claims these figures.', resolve: (group) => group.claimant }),
    figures: t.field({ type: [Figure], description: 'Its current figures.', resolve: (group) => group.figures }),
  }),
});

const FigureFilter = inputTypeOf(figureFilterInput);

const figuresWhere = oncePerArgs((args: { filter?: unknown }, ctx) => figureWhere(ctx.prisma, readArgument(figureFilterInput, args.filter, 'filter')));

builder.queryFields((t) => ({
  figures: t.prismaConnection(
    {
      type: 'Figure',
      cursor: 'id',
      description: 'Figures claimed in statements, narrowed by `filter`, in the order they were recorded. Retracted figures are left out unless asked for.',
      args: { filter: t.arg({ type: FigureFilter, required: false, description: 'Conditions the listed items must meet; leave out to list all.' }) },
      resolve: async (query, _root, args, ctx) => ctx.prisma.figure.findMany({ ...query, where: await figuresWhere(args, ctx), orderBy: figureOrder }),
      totalCount: boundedTotalCount(async (_root, args: { filter?: unknown }, ctx, take) =>
        ctx.prisma.figure.count({ where: await figuresWhere(args, ctx), take }),
      ),
    },
    { description: 'A page of figures.' },
    { description: 'A figure in the list.' },
  ),
}));
