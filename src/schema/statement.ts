// Statements: who said what, when, through which sources, about which incidents.
import { INCLUDE_RETRACTED, statementFilterInput, statementWhere, visibleFigureWhere, visibleStatementWhere } from '../claims/filters.js';
import { inputTypeOf, readArgument } from './inputs.js';
import { ClaimantAffiliation, StatementKind, VerificationStatus } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { boundedTotalCount } from './counts.js';
import { Claimant, ClaimantKindEnum, claimantOf, claimantSelection } from './claimant.js';
import { DatePrecisionEnum, describedEnum, oncePerArgs } from './common.js';
import { Incident } from './incident.js';
import { statementsPage } from './keyset.js';
import { prismaConnectionHelpers } from '@pothos/plugin-prisma';

export const StatementKindEnum = describedEnum('StatementKind', 'What a statement does.', StatementKind, {
  CASUALTY_REPORT: 'Reports people killed, injured, abducted...',
  RESPONSIBILITY_CLAIM: 'Claims responsibility for an incident.',
  CONDEMNATION: 'Condemns an incident or its perpetrators.',
  DENIAL: 'Denies a claim or an involvement.',
  SITUATION_REPORT: 'Describes the situation (roads blocked, hospitals on emergency footing).',
  OPERATION_REPORT: 'Reports on a security operation and its results.',
  HOSTAGE_MESSAGE: 'A message from a person held captive.',
  OTHER: 'Any other kind of statement.',
});

export const VerificationStatusEnum = describedEnum(
  'VerificationStatus',
  'What the reporting says about whether a statement was checked.',
  VerificationStatus,
  {
    NOT_ASSESSED: 'The reporting says nothing about verification. Most statements are reported this way.',
    UNVERIFIED: 'The reporting says it could not be verified ("Reuters could not independently verify the video").',
    VERIFIED: 'Independently verified by the organisation named in `verifiedBy`.',
    DISPUTED: 'Contradicted or disputed by other reporting.',
    FALSE: 'Shown to be false.',
  },
);

export const ClaimantAffiliationEnum = describedEnum(
  'ClaimantAffiliation',
  "Whom a claimant speaks for. Recorded for every statement, so that claims of unnamed officials count as the state's.",
  ClaimantAffiliation,
  {
    STATE: 'The state: officials, ministers, the military, police and security forces.',
    NON_STATE_ARMED_GROUP: 'A non-state armed group (the BLA) or its spokespeople.',
    INDEPENDENT: 'Neither side: journalists, monitors, hospitals, witnesses.',
    UNKNOWN: 'The reporting does not say who gave it.',
  },
);

export const Statement = builder.prismaNode('Statement', {
  // Select mode: a query loads only the columns its fields need (see README, Performance); who
  // said it always, since the claimant is resolved from it.
  select: { id: true, claimantKind: true, claimantDescription: true },
  // `node(id:)` answers null for an id that no longer exists (merged away, deleted).
  nullable: true,
  description: 'Something someone said, as reported: who said it, when, through which chain of sources, about which incidents, and the figures it claims.',
  id: { field: 'id' },
  fields: (t) => ({
    kind: t.expose('kind', { type: StatementKindEnum, description: 'Casualty report, responsibility claim, condemnation...' }),
    claimant: t.field({
      type: Claimant,
      description: 'Who made the statement.',
      select: claimantSelection,
      resolve: (statement) => claimantOf(statement),
    }),
    claimantKind: t.expose('claimantKind', { type: ClaimantKindEnum, description: 'Official, organisation or unnamed speaker.' }),
    claimantAffiliation: t.expose('claimantAffiliation', {
      type: ClaimantAffiliationEnum,
      description: 'Whom the claimant speaks for: the state, an armed group, neither, or unknown.',
    }),
    claimantDescription: t.exposeString('claimantDescription', {
      description: 'Who said it, in the reporting\'s words ("security officials", "a senior police officer").',
    }),
    madeAt: t.expose('madeAt', { type: 'DateTime', nullable: true, description: 'When it was said; null when the reporting does not say.' }),
    madeAtPrecision: t.expose('madeAtPrecision', { type: DatePrecisionEnum, description: 'How precisely `madeAt` is known.' }),
    text: t.exposeString('text', { description: "The words as reported: a quote, or the reporter's paraphrase." }),
    isDirectQuote: t.exposeBoolean('isDirectQuote', { description: 'True when `text` is a direct quote, false for a paraphrase.' }),
    verification: t.expose('verification', { type: VerificationStatusEnum, description: 'What the reporting says about verification.' }),
    verificationNote: t.exposeString('verificationNote', { nullable: true, description: "The reporting's words about verification." }),
    verifiedBy: t.relation('verifiedBy', { nullable: true, description: 'Who verified or tried to verify it (Reuters).' }),
    version: t.exposeInt('version', { description: 'Bumped by every change: send it back as `expectedVersion` when you retract.' }),
    retractedAt: t.expose('retractedAt', { type: 'DateTime', nullable: true, description: 'When it was retracted; null if it stands.' }),
    retractionReason: t.exposeString('retractionReason', { nullable: true, description: 'Why it was retracted.' }),
    sourceChain: t.relation('sources', {
      description: 'How the statement reached the reader, outermost first (The Indian Express, then Reuters, then a video).',
      query: { orderBy: { position: 'asc' } },
    }),
    incidents: t.field({
      type: [Incident],
      description: 'The incidents the statement is about.',
      select: (_args, _ctx, nestedSelection) => ({
        incidents: { select: { incident: nestedSelection(true) }, orderBy: { incidentId: 'asc' } },
      }),
      resolve: (statement) => statement.incidents.map((link) => link.incident),
    }),
    figures: t.relation('figures', {
      description: 'The figures the statement claims, superseded ones included. Retracted figures are left out unless asked for.',
      args: { includeRetracted: t.arg.boolean({ required: false, description: INCLUDE_RETRACTED }) },
      query: (args) => ({ where: visibleFigureWhere({ includeRetracted: args.includeRetracted }), orderBy: { id: 'asc' } }),
    }),
  }),
});

// Incident → statements lives here, beside Statement → incidents, so neither type's definition
// depends on the other's. The page is read through the link table, in the parent's query (one
// statement for all incidents of a list), and each link stands for its statement.
const incidentStatements = prismaConnectionHelpers(builder, 'StatementIncident', {
  cursor: 'statementId_incidentId',
  // The statement's id always: a page asking only `__typename` of its nodes selects nothing else,
  // and Prisma refuses an empty select (found by test/compiled-reads.test.ts).
  select: (nodeSelection) => {
    const statement = nodeSelection(true) as unknown as { select?: object };
    return { statement: { ...statement, select: { id: true, ...statement.select } } as unknown as ReturnType<typeof nodeSelection> };
  },
  resolveNode: (link) => link.statement,
});

builder.prismaObjectField('Incident', 'statements', (t) =>
  t.connection(
    {
      type: Statement,
      description: 'Statements about this incident (not its sub-incidents), oldest first. Retracted statements are left out unless asked for.',
      args: { includeRetracted: t.arg.boolean({ required: false, description: INCLUDE_RETRACTED }) },
      select: (args, ctx, nestedSelection) => ({
        statements: {
          ...incidentStatements.getQuery(args, ctx, nestedSelection),
          where: { statement: visibleStatementWhere({ includeRetracted: args.includeRetracted }) },
          orderBy: { statementId: 'asc' },
        },
      }),
      // Counted only when asked, for all the page's incidents at once (loaders.ts says why).
      resolve: (incident, args, ctx) => ({
        ...incidentStatements.resolve(incident.statements, args, ctx),
        count: () => ctx.loaders.incidentStatementCount(args.includeRetracted ?? false).load(incident.id),
      }),
    },
    {
      description: 'A page of statements about an incident.',
      fields: (connection) => ({ totalCount: connection.int({ resolve: (page) => page.count() }) }),
    },
    { description: 'A statement about the incident.' },
  ),
);

const StatementFilter = inputTypeOf(statementFilterInput);

const statementsWhere = oncePerArgs((args: { filter?: unknown }, ctx) => statementWhere(ctx.prisma, readArgument(statementFilterInput, args.filter, 'filter')));

builder.queryFields((t) => ({
  statements: t.prismaConnection(
    {
      type: 'Statement',
      cursor: 'id',
      description: 'Statements, newest first, narrowed by `filter`. Retracted statements are left out unless asked for.',
      args: { filter: t.arg({ type: StatementFilter, required: false, description: 'Conditions the listed items must meet; leave out to list all.' }) },
      resolve: async (query, _root, args, ctx) => statementsPage(query, ctx, await statementsWhere(args, ctx)),
      totalCount: boundedTotalCount(async (_root, args: { filter?: unknown }, ctx, take) =>
        ctx.prisma.statement.count({ where: await statementsWhere(args, ctx), take }),
      ),
    },
    { description: 'A page of statements.' },
    { description: 'A statement in the list.' },
  ),
}));
