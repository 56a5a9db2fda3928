// Draft claims: the gateway reads a report and proposes its statements, each shaped as the
// `recordStatement` input it would become (global IDs for what it matched), with the evidence for
// every part. Read only: nothing is written. The reading itself lives in src/drafting/.
import { MAX_DRAFT_CHARACTERS } from '../drafting/limits.js';
import { recordInput, type References } from '../drafting/record-input.js';
import type { Alternative, Draft, DraftFigure, DraftIncident, DraftSource, DraftStatement, ProposedEntity, Span } from '../drafting/types.js';
import { dateRule } from '../rules/fields.js';
import { globalIdOf } from '../rules/ids.js';
import { builder } from './builder.js';
import { readArgument } from './inputs.js';
import { ownersOf } from './external-id.js';
import { ClaimantKindEnum } from './claimant.js';
import { DatePrecisionEnum } from './common.js';
import { FigureMetricEnum, QuantityKindEnum, SideEnum, VictimCategoryEnum } from './figure.js';
import { IncidentKindEnum } from './incident.js';
import { OrganisationKindEnum } from './organisation.js';
import { PlaceKindEnum } from './place.js';
import { SourceKindEnum } from './source.js';
import { ClaimantAffiliationEnum, StatementKindEnum, VerificationStatusEnum } from './statement.js';

const gid = (typename: string, id: number | null) => (id === null ? null : globalIdOf(typename, id));

// ——— the input a statement would be recorded with, field for field as RecordStatementInput ———

/** A drafted statement as `recordStatement` input: send `input` as it stands (without `__typename`). Global IDs for what the draft matched; null for what it proposes new (listed in `needs`). */
function inputOf(draft: Draft, statement: DraftStatement, n: number) {
  const refs: References<string> = {
    organisation: (id) => gid('Organisation', id),
    official: (id) => gid('Official', id),
    place: (id) => gid('Place', id),
    incident: (i) => gid('Incident', draft.incidents[i]!.incidentId),
    source: (i) => gid('Source', draft.sources[i]!.sourceId),
  };
  // A revision of another drafted figure is known once that one is recorded (see `supersedesDraft`).
  const input = recordInput(draft, statement, n, refs);
  return { ...input, figures: input.figures.map((f) => ({ ...f, supersedes: null as string | null, supersedesVersion: null as number | null })) };
}
type StatementInput = ReturnType<typeof inputOf>;

const TextSpan = builder.objectRef<Span>('TextSpan').implement({
  description: 'Where something was read in the drafted text: characters `start` (inclusive) to `end` (exclusive) of `ClaimDraft.text`.',
  fields: (t) => ({
    start: t.exposeInt('start', { description: 'First character (from 0).' }),
    end: t.exposeInt('end', { description: 'One past the last character.' }),
    text: t.exposeString('text', { description: 'The words there.' }),
  }),
});

const DraftAlternative = builder.objectRef<Alternative>('DraftAlternative').implement({
  description: 'A reading the drafter did not choose, so that ambiguity is shown rather than guessed away.',
  fields: (t) => ({
    description: t.exposeString('description', { description: 'The other reading.' }),
    confidence: t.exposeFloat('confidence', { description: 'How likely the drafter thinks it is, 0 to 1.' }),
  }),
});

const DraftQuantity = builder.objectRef<StatementInput['figures'][number]['quantity']>('DraftQuantityInput').implement({
  description: 'Shaped as QuantityInput: the quantity as said, read by the quantity-phrase reader.',
  fields: (t) => ({
    kind: t.field({ type: QuantityKindEnum, resolve: (q) => q.kind, description: 'How the quantity was said.' }),
    low: t.exposeInt('low', { nullable: true, description: 'The lowest number the words give.' }),
    high: t.exposeInt('high', { nullable: true, description: 'The highest number the words give.' }),
    phrase: t.exposeString('phrase', { description: 'The exact words.' }),
  }),
});

const DraftBreakdownItem = builder.objectRef<{ label: string; count: number }>('DraftBreakdownItemInput').implement({
  description: 'Shaped as BreakdownItemInput: one part of a figure ("5 men").',
  fields: (t) => ({
    label: t.exposeString('label', { description: 'Who this part counts.' }),
    count: t.exposeInt('count', { description: 'How many.' }),
  }),
});

const DraftFigureInput = builder.objectRef<StatementInput['figures'][number]>('DraftFigureInput').implement({
  description: 'Shaped as FigureInput.',
  fields: (t) => ({
    externalId: t.exposeString('externalId', { description: 'Stable for the same text: recording the draft twice writes the figure once.' }),
    metric: t.field({ type: FigureMetricEnum, resolve: (f) => f.metric, description: 'What is counted.' }),
    victimCategory: t.field({ type: VictimCategoryEnum, resolve: (f) => f.victimCategory, description: 'Who is counted.' }),
    side: t.field({ type: SideEnum, resolve: (f) => f.side, description: 'Whose people are counted.' }),
    victimDescription: t.exposeString('victimDescription', { description: "Who was counted, in the text's words." }),
    countedOrganisation: t.exposeID('countedOrganisation', {
      nullable: true,
      description: 'Whose people were counted, when the words name a known organisation.',
    }),
    place: t.exposeID('place', { nullable: true, description: 'Where: a known place (null when the place is proposed new; see `ClaimDraft.proposedPlaces`).' }),
    incident: t.exposeID('incident', { nullable: true, description: 'The incident (null when proposed new).' }),
    quantity: t.field({ type: DraftQuantity, resolve: (f) => f.quantity, description: 'The quantity as said.' }),
    breakdown: t.field({ type: [DraftBreakdownItem], resolve: (f) => f.breakdown, description: 'Parts as reported.' }),
    supersedes: t.exposeID('supersedes', {
      nullable: true,
      description: 'Always null in a draft: a revised drafted figure is named in `DraftFigure.supersedesDraft`; fill this in once that one is recorded.',
    }),
    supersedesVersion: t.exposeInt('supersedesVersion', { nullable: true, description: 'The version of the superseded figure, with `supersedes`.' }),
  }),
});

const DraftClaimantInput = builder.objectRef<StatementInput['claimant']>('DraftClaimantInput').implement({
  description: 'Shaped as ClaimantInput.',
  fields: (t) => ({
    kind: t.field({ type: ClaimantKindEnum, resolve: (c) => c.kind, description: 'OFFICIAL, ORGANISATION, UNNAMED_GROUP or UNNAMED_PERSON.' }),
    official: t.exposeID('official', { nullable: true, description: 'The matched official.' }),
    organisation: t.exposeID('organisation', { nullable: true, description: 'The matched organisation.' }),
    description: t.exposeString('description', { description: "Who said it, in the text's words." }),
    affiliation: t.field({ type: ClaimantAffiliationEnum, resolve: (c) => c.affiliation, description: 'Whom the claimant speaks for.' }),
  }),
});

const DraftStatementInput = builder.objectRef<StatementInput>('DraftStatementInput').implement({
  description:
    'Shaped as RecordStatementInput, field for field: pass it as `recordStatement(input:)` as it stands (without `__typename`). IDs are null where something is proposed new: see `DraftStatement.needs`.',
  fields: (t) => ({
    externalId: t.exposeString('externalId', { description: 'Stable for the same text (a hash of it): recording the draft twice writes it once.' }),
    kind: t.field({ type: StatementKindEnum, resolve: (s) => s.kind, description: 'What the statement does.' }),
    claimant: t.field({ type: DraftClaimantInput, resolve: (s) => s.claimant, description: 'Who made it.' }),
    madeAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (s) => s.madeAt,
      description: "The day it was made: the text's date, or the day the text gives.",
    }),
    madeAtPrecision: t.field({ type: DatePrecisionEnum, resolve: (s) => s.madeAtPrecision, description: 'How precisely `madeAt` is known.' }),
    text: t.exposeString('text', { description: 'The words as reported.' }),
    isDirectQuote: t.exposeBoolean('isDirectQuote', { description: 'False: the drafter does not decide what is a direct quote.' }),
    verification: t.field({ type: VerificationStatusEnum, resolve: (s) => s.verification, description: 'What the text says about verification.' }),
    verificationNote: t.exposeString('verificationNote', { nullable: true, description: "The text's words about verification." }),
    verifiedBy: t.exposeID('verifiedBy', { nullable: true, description: 'Who tried to verify it, when known.' }),
    sources: t.exposeIDList('sources', {
      description: 'The source chain, outermost first: the sources already recorded (the rest are in `DraftStatement.sourceChain`).',
    }),
    incidents: t.exposeIDList('incidents', { description: 'The matched incidents.' }),
    figures: t.field({ type: [DraftFigureInput], resolve: (s) => s.figures, description: 'The figures it claims.' }),
  }),
});

// ——— the evidence ———

const DraftMatchEnum = builder.enumType('DraftMatch', {
  description: 'How a drafted claimant was found.',
  values: {
    KNOWN: { description: 'A known organisation or official, by name, alias or role.' },
    UNNAMED: { description: 'An unnamed speaker, in the text\'s words ("security officials").' },
    NEW: { description: 'A name the gateway does not know: proposed in `ClaimDraft.proposedEntities`.' },
    PRONOUN: { description: '"He said", "the group said": someone named before.' },
    NOT_STATED: { description: 'The text does not say who (an earlier toll it mentions).' },
  } as const,
});

const DraftClaimant = builder.objectRef<DraftStatement['claimant']>('DraftClaimant').implement({
  description: 'Who the drafter thinks made a statement, and why.',
  fields: (t) => ({
    label: t.exposeString('label', { description: "The known entity's name, the proposed name, or the unnamed speaker's words." }),
    match: t.field({ type: DraftMatchEnum, resolve: (c) => c.match, description: 'How it was found.' }),
    proposedEntity: t.exposeInt('proposedEntity', { nullable: true, description: 'Index into `ClaimDraft.proposedEntities` when it must be created first.' }),
    evidence: t.field({ type: TextSpan, nullable: true, resolve: (c) => c.evidence, description: "The speaker's words in the text." }),
    confidence: t.exposeFloat('confidence', { description: '0 to 1.' }),
    alternatives: t.field({ type: [DraftAlternative], resolve: (c) => c.alternatives, description: 'Other readings.' }),
  }),
});

const DraftFigureRef = builder.objectRef<{ statement: number; figure: number }>('DraftFigureRef').implement({
  description: 'A figure of this draft: `statements[statement].figures[figure]`.',
  fields: (t) => ({
    statement: t.exposeInt('statement', { description: 'Index into `ClaimDraft.statements`.' }),
    figure: t.exposeInt('figure', { description: "Index into that statement's figures." }),
  }),
});

const DraftFigureEvidence = builder.objectRef<DraftFigure['evidence']>('DraftFigureEvidence').implement({
  description: 'Where each part of a drafted figure was read.',
  fields: (t) => ({
    quantity: t.field({ type: TextSpan, resolve: (e) => e.quantity, description: 'The quantity phrase.' }),
    metric: t.field({ type: TextSpan, nullable: true, resolve: (e) => e.metric, description: 'The casualty word ("killed", "death toll").' }),
    victim: t.field({
      type: TextSpan,
      nullable: true,
      resolve: (e) => e.victim,
      description: 'Who was counted ("militants"); null when the text says only a number ("killing 11").',
    }),
    place: t.field({ type: TextSpan, nullable: true, resolve: (e) => e.place, description: 'The place name used.' }),
    revision: t.field({
      type: TextSpan,
      nullable: true,
      resolve: (e) => e.revision,
      description: 'The words that make it a revision ("revising an earlier").',
    }),
  }),
});

// biome-ignore lint/suspicious/noRedeclare: the GraphQL type's ref is named as the domain type it answers with
const DraftFigure = builder.objectRef<DraftFigure>('DraftFigure').implement({
  description: 'The evidence and confidence for one drafted figure (its input is in `DraftStatement.input.figures`, same order).',
  fields: (t) => ({
    evidence: t.field({ type: DraftFigureEvidence, resolve: (f) => f.evidence, description: 'Where each part was read.' }),
    breakdownEvidence: t.field({
      type: [TextSpan],
      resolve: (f) => f.breakdown.map((b) => b.evidence),
      description: 'Where each part of the breakdown was read.',
    }),
    supersedesDraft: t.field({
      type: DraftFigureRef,
      nullable: true,
      resolve: (f) => f.supersedes,
      description: 'The drafted figure this one revises ("revising an earlier death toll of five").',
    }),
    proposedPlace: t.exposeInt('proposedPlace', { nullable: true, description: 'Index into `ClaimDraft.proposedPlaces` when the place is new.' }),
    confidence: t.exposeFloat('confidence', { description: '0 to 1.' }),
    alternatives: t.field({
      type: [DraftAlternative],
      resolve: (f) => f.alternatives,
      description: 'Other readings (a side, a separate count rather than a revision).',
    }),
  }),
});

const DraftStatementEvidence = builder.objectRef<DraftStatement['evidence'] & { text: Span }>('DraftStatementEvidence').implement({
  description: 'Where the parts of a drafted statement were read.',
  fields: (t) => ({
    text: t.field({ type: TextSpan, resolve: (e) => e.text, description: 'The words the statement rests on.' }),
    attribution: t.field({ type: TextSpan, nullable: true, resolve: (e) => e.attribution, description: 'The speaker and the verb ("officials said").' }),
    kind: t.field({ type: TextSpan, nullable: true, resolve: (e) => e.kind, description: 'The words that gave the kind ("claimed responsibility").' }),
    verification: t.field({
      type: TextSpan,
      nullable: true,
      resolve: (e) => e.verification,
      description: 'The words about verification ("could not independently verify").',
    }),
  }),
});

interface DraftStatementView {
  statement: DraftStatement;
  input: StatementInput;
}

const DraftStatementRef = builder.objectRef<DraftStatementView>('DraftStatement').implement({
  description: 'A proposed statement: the input to record it with, and the evidence for every part.',
  fields: (t) => ({
    input: t.field({ type: DraftStatementInput, resolve: (s) => s.input, description: 'The `recordStatement` input it would become.' }),
    claimant: t.field({ type: DraftClaimant, resolve: (s) => s.statement.claimant, description: 'Who, and how sure.' }),
    figures: t.field({ type: [DraftFigure], resolve: (s) => s.statement.figures, description: 'Evidence for each figure, in the order of `input.figures`.' }),
    evidence: t.field({
      type: DraftStatementEvidence,
      resolve: (s) => ({ ...s.statement.evidence, text: s.statement.textSpan }),
      description: 'Where the statement was read.',
    }),
    sourceChain: t.field({
      type: ['Int'],
      resolve: (s) => s.statement.sourceChain,
      description: 'Its source chain, outermost first: indexes into `ClaimDraft.sources`.',
    }),
    incidents: t.field({ type: ['Int'], resolve: (s) => s.statement.incidents, description: 'Indexes into `ClaimDraft.incidents`.' }),
    confidence: t.float({ resolve: (s) => s.statement.confidence, description: 'The least confidence of its parts, 0 to 1.' }),
    needs: t.stringList({
      resolve: (s) => s.statement.needs,
      description:
        'What to do before `input` can be recorded as it stands (create a proposed source, entity, place or incident; record the revised figure first). Empty: ready.',
    }),
    readyToRecord: t.boolean({ resolve: (s) => s.statement.needs.length === 0, description: 'True when `input` can be recorded as it stands.' }),
  }),
});

const DraftSourceRoleEnum = builder.enumType('DraftSourceRole', {
  description: 'Where a source sits in a drafted chain.',
  values: {
    TEXT: { description: 'The drafted text itself, published by the publisher.' },
    CITED_REPORT: { description: 'A report the text cites ("Reuters, citing security officials").' },
    CLAIMANT_SOURCE: { description: 'The claimant\'s own statement, video or post ("in a statement").' },
  } as const,
});

const DraftSourceRef = builder.objectRef<DraftSource>('DraftSource').implement({
  description: 'A source in the drafted chains: matched to one already recorded, or proposed with its `createSource` input.',
  fields: (t) => ({
    role: t.field({ type: DraftSourceRoleEnum, resolve: (s) => s.role, description: 'Where it sits in a chain.' }),
    source: t.prismaField({
      type: 'Source',
      nullable: true,
      description: 'The recorded source it matched, if any.',
      resolve: (query, s, _args, ctx) => (s.sourceId ? ctx.prisma.source.findUnique({ ...query, where: { id: s.sourceId } }) : null),
    }),
    matchedBy: t.exposeString('matchedBy', { description: 'How it was matched, or what to do when it was not.' }),
    label: t.exposeString('label', { description: 'How chains show it: the publisher, or the kind of source.' }),
    externalId: t.exposeString('externalId', { description: 'The external ID to create it with (stable for the same text: creating it twice is a replay).' }),
    title: t.exposeString('title', { nullable: true, description: "Its title (the text's headline)." }),
    description: t.exposeString('description', { description: 'What it is.' }),
    kind: t.field({ type: SourceKindEnum, resolve: (s) => s.kind, description: 'What kind of source.' }),
    publisher: t.id({ nullable: true, resolve: (s) => gid('Organisation', s.publisherId), description: 'The known publisher.' }),
    publisherName: t.exposeString('publisherName', { nullable: true, description: 'The publisher by name (known or not).' }),
    byline: t.exposeString('byline', { nullable: true, description: 'The byline the text gives.' }),
    publishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.publishedAt, description: 'When it was published.' }),
    evidence: t.field({ type: TextSpan, nullable: true, resolve: (s) => s.evidence, description: 'Where the text mentions it.' }),
  }),
});

const DraftIncidentRef = builder.objectRef<DraftIncident>('DraftIncident').implement({
  description: 'An incident the drafted statements are about: matched to a recorded one (with the alternatives), or proposed new.',
  fields: (t) => ({
    incident: t.prismaField({
      type: 'Incident',
      nullable: true,
      description: 'The recorded incident it matched.',
      resolve: (query, i, _args, ctx) => (i.incidentId ? ctx.prisma.incident.findUnique({ ...query, where: { id: i.incidentId } }) : null),
    }),
    matchedBy: t.exposeString('matchedBy', { description: 'Why it matched (same place, shared words, kind, day), or that it is new.' }),
    externalId: t.exposeString('externalId', { description: 'For a new incident: the external ID to create it with.' }),
    title: t.exposeString('title', { description: 'Its title.' }),
    kind: t.field({ type: IncidentKindEnum, resolve: (i) => i.kind, description: 'Its kind.' }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => i.startedAt, description: 'When it began (the day).' }),
    places: t.stringList({ resolve: (i) => i.placeIds.map((id) => globalIdOf('Place', id)), description: 'Its places (global IDs).' }),
    confidence: t.exposeFloat('confidence', { description: '0 to 1.' }),
    alternatives: t.field({ type: [DraftAlternative], resolve: (i) => i.alternatives, description: 'Other incidents it may be (each description names it).' }),
    evidence: t.field({ type: TextSpan, nullable: true, resolve: (i) => i.evidence, description: 'The words it was matched on.' }),
  }),
});

const DraftPlaceRef = builder.objectRef<Draft['proposedPlaces'][number]>('DraftPlace').implement({
  description: 'A place the text names that the gateway does not know: create it (createPlace) before recording.',
  fields: (t) => ({
    externalId: t.exposeString('externalId', { description: 'The external ID to create it with.' }),
    name: t.exposeString('name', { description: 'Its name, as written.' }),
    kind: t.field({ type: PlaceKindEnum, resolve: (p) => p.kind, description: 'Its kind, from the words around it ("district").' }),
    parent: t.id({ nullable: true, resolve: (p) => gid('Place', p.parentId), description: "The place it is probably in (the text's main place)." }),
    evidence: t.field({ type: TextSpan, resolve: (p) => p.evidence, description: 'Where the text names it.' }),
  }),
});

const ProposedEntityRef = builder.objectRef<ProposedEntity>('DraftProposedEntity').implement({
  description: 'An organisation or official the text names that the gateway does not know: create it (createOrganisation / createOfficial), then draft again.',
  fields: (t) => ({
    entityType: t.exposeString('entityType', { description: 'Organisation or Official.' }),
    name: t.exposeString('name', { nullable: true, description: 'The name, as written.' }),
    description: t.exposeString('description', { nullable: true, description: 'For an official: the words describing them.' }),
    kind: t.field({
      type: OrganisationKindEnum,
      nullable: true,
      resolve: (e) => e.kind,
      description: 'For an organisation: its kind, from the words of its name.',
    }),
    roleTitle: t.exposeString('roleTitle', { nullable: true, description: 'For an official: the role the text gives ("Interior Minister").' }),
    evidence: t.field({ type: TextSpan, resolve: (e) => e.evidence, description: 'Where the text names it.' }),
  }),
});

const ClaimDraftRef = builder.objectRef<Draft>('ClaimDraft').implement({
  description: 'The claims the gateway read in a report, proposed for a person to check and record. Nothing is written.',
  fields: (t) => ({
    text: t.exposeString('text', { description: 'The text the evidence spans point into (HTML stripped, when it was HTML).' }),
    notes: t.exposeStringList('notes', { description: 'What was done to the text, or why the draft is empty (not English, nothing attributed).' }),
    statements: t.field({
      type: [DraftStatementRef],
      resolve: (d) => d.statements.map((statement, n) => ({ statement, input: inputOf(d, statement, n) })),
      description: 'Proposed statements, in recording order (an earlier figure before the one that revises it).',
    }),
    sources: t.field({ type: [DraftSourceRef], resolve: (d) => d.sources, description: 'The sources of the chains: the text first.' }),
    incidents: t.field({ type: [DraftIncidentRef], resolve: (d) => d.incidents, description: 'The incidents the statements are about.' }),
    proposedPlaces: t.field({ type: [DraftPlaceRef], resolve: (d) => d.proposedPlaces, description: 'Places to create before recording.' }),
    proposedEntities: t.field({
      type: [ProposedEntityRef],
      resolve: (d) => d.proposedEntities,
      description: 'Organisations and officials to create before recording.',
    }),
  }),
});

builder.queryFields((t) => ({
  draftClaims: t.field({
    type: ClaimDraftRef,
    authScopes: { read: true },
    description: `Reads a report and proposes its claims: who said what (matched to known organisations and officials, or unnamed speakers), through which sources, with each figure's quantity as said, revisions, breakdowns, verification notes, places and incidents, and the evidence for every part. Read only. At most ${MAX_DRAFT_CHARACTERS.toLocaleString('en')} characters; HTML is stripped; a text that is not English gives an empty draft with a note.`,
    args: {
      text: t.arg.string({ required: true, description: 'The report: plain text (one paragraph a line) or HTML.' }),
      publishedAt: t.arg({ type: 'DateTime', required: false, description: 'When it was published: statements are dated by it (to the day).' }),
      publisher: t.arg.string({ required: false, description: 'Who published it, by name ("The Indian Express"): the outermost source\'s publisher.' }),
    },
    resolve: async (_root, args, ctx) => {
      const publishedAt = readArgument(dateRule, args.publishedAt, 'publishedAt')?.at ?? null;
      // The drafter (compromise) is loaded by the first draft, not by every start.
      const { draftFromDatabase } = await import('../drafting/index.js');
      return draftFromDatabase(ctx.prisma, { text: args.text, publishedAt, publisher: args.publisher ?? null }, ownersOf(ctx));
    },
  }),
}));
