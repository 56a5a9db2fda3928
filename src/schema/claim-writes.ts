// Writing claims: record a statement with everything it claims in one transaction, revise a
// figure, retract a statement or figure. The rules live in src/writes/; this file maps GraphQL
// input (global IDs) onto them and publishes the live-feed events once a write has committed.
import { DatePrecision } from '../generated/prisma/enums.js';
import { inTransaction, recordStatement, retract, reviseFigure, type RecordResult } from '../writes/statements.js';
import { builder } from './builder.js';
import { ClaimantAffiliationEnum, StatementKindEnum, VerificationStatusEnum } from './statement.js';
import { ClaimantKindEnum } from './claimant.js';
import { databaseId, DatePrecisionEnum } from './common.js';
import { Figure, FigureMetricEnum, QuantityKindEnum, SideEnum, VictimCategoryEnum } from './figure.js';
import { Incident } from './incident.js';
import { Official } from './official.js';
import { Organisation } from './organisation.js';
import { Place } from './place.js';
import { Source } from './source.js';
import { Statement } from './statement.js';
import { WRITE_ERRORS } from './write-errors.js';
import type { Context } from '../context.js';

const QuantityInput = builder.inputType('QuantityInput', {
  description:
    'A quantity as said. EXACT/APPROXIMATE: low = high = the number; AT_LEAST: low only; AT_MOST: high only; RANGE: low < high; UNQUANTIFIED ("dozens"): neither. Always the words in `phrase`.',
  fields: (t) => ({
    kind: t.field({ type: QuantityKindEnum, required: true, description: 'How the quantity was said.' }),
    low: t.int({ required: false, description: 'The lowest number the words give (whole, not negative).' }),
    high: t.int({ required: false, description: 'The highest number the words give (whole, not negative).' }),
    phrase: t.string({ required: true, description: 'The words as said ("at least 67", "some 10", "dozens").' }),
  }),
});

const BreakdownItemInput = builder.inputType('BreakdownItemInput', {
  description: 'One part of a figure ("5 men").',
  fields: (t) => ({
    label: t.string({ required: true, description: 'Who this part counts ("men").' }),
    count: t.int({ required: true, description: 'How many (whole, not negative).' }),
  }),
});

const FigureInput = builder.inputType('FigureInput', {
  description: 'A figure the statement claims.',
  fields: (t) => ({
    externalId: t.string({ required: false, description: 'Your own ID for the figure: sending it again never duplicates it.' }),
    metric: t.field({ type: FigureMetricEnum, required: true, description: 'What is counted.' }),
    victimCategory: t.field({ type: VictimCategoryEnum, required: true, description: 'Who is counted.' }),
    side: t.field({ type: SideEnum, required: true, description: 'Whose people are counted.' }),
    victimDescription: t.string({ required: true, description: 'Who was counted, in the reporting\'s words.' }),
    countedOrganisation: t.globalID({ for: [Organisation], required: false, description: 'Whose people were counted, when said.' }),
    place: t.globalID({ for: [Place], required: false, description: 'Where the counted people were.' }),
    incident: t.globalID({ for: [Incident], required: false, description: 'The incident the figure counts for.' }),
    quantity: t.field({ type: QuantityInput, required: true, description: 'The quantity as said.' }),
    breakdown: t.field({ type: [BreakdownItemInput], required: false, description: 'Parts as reported.' }),
    supersedes: t.globalID({ for: [Figure], required: false, description: 'An earlier figure this one revises (it stays, superseded).' }),
    supersedesVersion: t.int({
      required: false,
      description: 'The `version` of the superseded figure you read: if it changed since, the write is refused with a Conflict.',
    }),
  }),
});

const ClaimantInput = builder.inputType('ClaimantInput', {
  description: 'Who made the statement: an official, an organisation, or an unnamed speaker in the reporting\'s words.',
  fields: (t) => ({
    kind: t.field({ type: ClaimantKindEnum, required: true, description: 'OFFICIAL, ORGANISATION, UNNAMED_GROUP or UNNAMED_PERSON.' }),
    official: t.globalID({ for: [Official], required: false, description: 'The official (for OFFICIAL only).' }),
    organisation: t.globalID({ for: [Organisation], required: false, description: 'The organisation (for ORGANISATION only).' }),
    description: t.string({ required: true, description: 'Who said it, in the reporting\'s words ("security officials").' }),
    affiliation: t.field({ type: ClaimantAffiliationEnum, required: false, description: 'Whom the claimant speaks for (default UNKNOWN).' }),
  }),
});

const RecordStatementInput = builder.inputType('RecordStatementInput', {
  description: 'A statement with its claimant, source chain, incidents and figures: recorded all together or not at all.',
  fields: (t) => ({
    externalId: t.string({ required: false, description: 'Your own ID for the statement: sending the same one again returns the first recording.' }),
    kind: t.field({ type: StatementKindEnum, required: true, description: 'What the statement does.' }),
    claimant: t.field({ type: ClaimantInput, required: true, description: 'Who made it.' }),
    madeAt: t.field({ type: 'DateTime', required: false, description: 'When it was made, if the reporting says.' }),
    madeAtPrecision: t.field({ type: DatePrecisionEnum, required: false, description: 'How precisely `madeAt` is known (default DAY).' }),
    text: t.string({ required: true, description: 'The words as reported.' }),
    isDirectQuote: t.boolean({ required: false, description: 'True when `text` is a direct quote.' }),
    verification: t.field({ type: VerificationStatusEnum, required: false, description: 'What the reporting says about verification.' }),
    verificationNote: t.string({ required: false, description: 'The reporting\'s words about verification.' }),
    verifiedBy: t.globalID({ for: [Organisation], required: false, description: 'Who verified or tried to.' }),
    sources: t.globalIDList({ for: [Source], required: false, description: 'The source chain, outermost first (what the reader saw, then what it cited).' }),
    incidents: t.globalIDList({ for: [Incident], required: false, description: 'The incidents the statement is about.' }),
    figures: t.field({ type: [FigureInput], required: false, description: 'The figures it claims.' }),
  }),
});

const ReviseFigureInput = builder.inputType('ReviseFigureInput', {
  description: 'A new quantity for a figure, said later: recorded as a new figure that supersedes the old one (which stays).',
  fields: (t) => ({
    figure: t.globalID({ for: [Figure], required: true, description: 'The figure to revise.' }),
    expectedVersion: t.int({ required: true, description: 'The `version` you read: if it changed since, the revision is refused with a Conflict.' }),
    quantity: t.field({ type: QuantityInput, required: true, description: 'The revised quantity, as said.' }),
    breakdown: t.field({ type: [BreakdownItemInput], required: false, description: 'Parts of the revised figure, as reported.' }),
    text: t.string({ required: true, description: 'The words of the revision as reported.' }),
    madeAt: t.field({ type: 'DateTime', required: false, description: 'When the revision was made.' }),
    madeAtPrecision: t.field({ type: DatePrecisionEnum, required: false, description: 'How precisely `madeAt` is known.' }),
    sources: t.globalIDList({ for: [Source], required: false, description: 'The revision\'s source chain (default: the old statement\'s).' }),
    externalId: t.string({ required: false, description: 'Your own ID for the revising statement.' }),
  }),
});

const RecordPayload = builder.objectRef<RecordResult>('RecordPayload').implement({
  description: 'What a write recorded (or had already recorded, for a repeated request).',
  fields: (t) => ({
    statement: t.prismaField({
      type: 'Statement',
      description: 'The statement written or retracted.',
      resolve: (query, result, _args, ctx) => ctx.prisma.statement.findUniqueOrThrow({ ...query, where: { id: result.statementId } }),
    }),
    figures: t.prismaField({
      type: ['Figure'],
      description: 'The figures written, revised or retracted.',
      resolve: (query, result, _args, ctx) =>
        ctx.prisma.figure.findMany({ ...query, where: { id: { in: result.figureIds } }, orderBy: { id: 'asc' } }),
    }),
    replayed: t.exposeBoolean('replayed', { description: 'True when this repeats an earlier request and nothing new was written.' }),
  }),
});

const ids = (list: readonly { id: unknown; typename: string }[] | null | undefined) => (list ?? []).map(databaseId);
const optionalId = (value: { id: unknown; typename: string } | null | undefined) => (value ? databaseId(value) : null);

/** Runs a write in one transaction (once per idempotency key) and publishes its events after commit. */
async function write(
  ctx: Context,
  operation: string,
  input: unknown,
  idempotencyKey: string | null | undefined,
  run: Parameters<typeof inTransaction<RecordResult>>[2],
) {
  const result = await inTransaction(ctx.prisma, { apiKeyId: ctx.caller?.apiKeyId ?? null, idempotencyKey, operation, input }, run);
  for (const event of result.events) ctx.events.publish(event);
  return result;
}

builder.mutationType({
  description: 'Writes. Each needs an API key with the WRITE scope (`Authorization: Bearer <key>`) and is recorded in the audit trail.',
  authScopes: { write: true },
});

builder.mutationFields((t) => ({
  recordStatement: t.field({
    type: RecordPayload,
    description: 'Records a statement with its claimant, source chain, incidents and figures in one transaction: all of it, or nothing.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      input: t.arg({ type: RecordStatementInput, required: true, description: 'The statement and what it claims.' }),
      idempotencyKey: t.arg.string({ required: false, description: 'Any string unique to this request: retrying with the same key returns the first result instead of writing again.' }),
    },
    resolve: (_root, { input, idempotencyKey }, ctx) => {
      const domainInput = {
        ...input,
        madeAtPrecision: input.madeAtPrecision ?? DatePrecision.DAY,
        claimant: {
          ...input.claimant,
          officialId: optionalId(input.claimant.official),
          organisationId: optionalId(input.claimant.organisation),
          affiliation: input.claimant.affiliation ?? undefined,
        },
        verifiedById: optionalId(input.verifiedBy),
        sourceIds: ids(input.sources),
        incidentIds: ids(input.incidents),
        figures: (input.figures ?? []).map((figure) => ({
          ...figure,
          countedOrganisationId: optionalId(figure.countedOrganisation),
          placeId: optionalId(figure.place),
          incidentId: optionalId(figure.incident),
          breakdown: figure.breakdown ?? [],
          supersedes: figure.supersedes ? { figureId: databaseId(figure.supersedes), expectedVersion: figure.supersedesVersion ?? -1 } : null,
        })),
      };
      return write(ctx, 'recordStatement', domainInput, idempotencyKey, (tx) =>
        recordStatement(tx, { apiKeyId: ctx.caller?.apiKeyId ?? null }, domainInput),
      );
    },
  }),
  reviseFigure: t.field({
    type: RecordPayload,
    description: 'Revises a figure: a new figure superseding the old one, claimed by the same claimant. The old figure stays in history and `asOf` answers.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      input: t.arg({ type: ReviseFigureInput, required: true, description: 'The figure, the version you read, and the new quantity.' }),
      idempotencyKey: t.arg.string({ required: false, description: 'Any string unique to this request: retrying with the same key returns the first result instead of writing again.' }),
    },
    resolve: (_root, { input, idempotencyKey }, ctx) => {
      const revision = {
        ...input,
        figureId: databaseId(input.figure),
        sourceIds: input.sources ? ids(input.sources) : undefined,
        breakdown: input.breakdown ?? undefined,
      };
      return write(ctx, 'reviseFigure', revision, idempotencyKey, (tx) => reviseFigure(tx, { apiKeyId: ctx.caller?.apiKeyId ?? null }, revision));
    },
  }),
  retractStatement: t.field({
    type: RecordPayload,
    description: 'Retracts a statement (and so all its figures), with a reason. It leaves current views but stays in history and `asOf` answers.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      statement: t.arg.globalID({ for: [Statement], required: true, description: 'The statement to retract.' }),
      reason: t.arg.string({ required: true, description: 'Why it is retracted.' }),
      expectedVersion: t.arg.int({ required: false, description: 'The `version` you read; refused with a Conflict if it changed.' }),
    },
    resolve: (_root, args, ctx) =>
      write(ctx, 'retractStatement', args, null, (tx) =>
        retract(tx, { apiKeyId: ctx.caller?.apiKeyId ?? null }, { entityType: 'Statement', id: databaseId(args.statement), reason: args.reason, expectedVersion: args.expectedVersion }),
      ),
  }),
  retractFigure: t.field({
    type: RecordPayload,
    description: 'Retracts one figure, with a reason. It leaves current views but stays in history and `asOf` answers.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      figure: t.arg.globalID({ for: [Figure], required: true, description: 'The figure to retract.' }),
      reason: t.arg.string({ required: true, description: 'Why it is retracted.' }),
      expectedVersion: t.arg.int({ required: false, description: 'The `version` you read; refused with a Conflict if it changed.' }),
    },
    resolve: (_root, args, ctx) =>
      write(ctx, 'retractFigure', args, null, (tx) =>
        retract(tx, { apiKeyId: ctx.caller?.apiKeyId ?? null }, { entityType: 'Figure', id: databaseId(args.figure), reason: args.reason, expectedVersion: args.expectedVersion }),
      ),
  }),
}));
