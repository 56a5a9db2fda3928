// Claims analysis in GraphQL: claimants compared per incident, the largest disagreements,
// estimates by a stated method, and claimants' track records. The logic lives in src/claims/.
import { GraphQLError } from 'graphql';
import type { ComparisonPage, Position, Spread } from '../claims/comparison.js';
import { compareClaims, compareClaimsPage, countComparisonGroups, decodeComparisonCursor, encodeComparisonCursor } from '../claims/comparison.js';
import { reconcile, type Estimate } from '../claims/reconciliation.js';
import { decodeEntryCursor, encodeEntryCursor, type TrackRecordEntry, type TrackRecordPage, type TrackRecordSummary } from '../claims/track-record.js';
import type { VagueWordReading } from '../claims/interval.js';
import { builder, PAGE_SIZE } from './builder.js';
import { Claimant, claimantOf } from './claimant.js';
import { type BoundedCount, lazyBoundedCount, TotalCountKind } from './counts.js';
import { asOfOf, databaseId, DateRangeInput, describedEnum, forwardPageInfo, periodArg } from './common.js';
import { Figure, FigureMetricEnum, SideEnum } from './figure.js';
import { Incident } from './incident.js';
import { Official } from './official.js';
import { Organisation } from './organisation.js';
import { Place } from './place.js';
import { ImpliedBound, impliedBoundsByWord, VagueWordReadingEnum } from './vague-words.js';

const AgreementEnum = describedEnum(
  'Agreement',
  "Whether claimants' numbers can all be true at once.",
  { AGREE: 'AGREE', CONSISTENT: 'CONSISTENT', DISAGREE: 'DISAGREE', SINGLE_CLAIMANT: 'SINGLE_CLAIMANT' },
  {
    AGREE: 'Every claimant gives the same exact number (exact: one number, not said approximately).',
    CONSISTENT: 'The claims overlap: one number could satisfy every claim ("at least 67" and "84").',
    DISAGREE: 'No number satisfies every claim ("84" and "some 10"): the highest low is above the lowest high.',
    SINGLE_CLAIMANT: 'Fewer than two claimants gave a number: nothing to compare.',
  },
);

const MethodEnum = describedEnum(
  'ReconciliationMethod',
  'How to derive one estimate from competing claims. Each method is a rule anyone can re-apply to the claims it lists.',
  { CONSERVATIVE: 'CONSERVATIVE', RANGE: 'RANGE', OFFICIAL_ONLY: 'OFFICIAL_ONLY', EXCLUDE_UNVERIFIED: 'EXCLUDE_UNVERIFIED' },
  {
    CONSERVATIVE:
      'The lowest credible claim for the whole incident, taken whole (ACLED style; the LOWEST_CLAIM rule of totals): claims reported as unverified, disputed or false are left out, then the claim with the lowest low among those that counted the whole incident is taken with its own bounds. A claimant who counted only parts gives a floor, not a claim about the whole: it is taken only when nobody counted the whole.',
    RANGE:
      "The envelope of every claim with a number (UCDP low/high style): the lowest low of any claim to the highest high of any claim — the only method that puts one claimant's low beside another's high. Open-ended if any claim is (floors included).",
    OFFICIAL_ONLY: "RANGE over claimants speaking for the state only (the statement's `claimantAffiliation` is STATE).",
    EXCLUDE_UNVERIFIED: 'RANGE over claims not reported as unverified, disputed or false.',
  },
);

const ExclusionReasonEnum = describedEnum(
  'ExclusionReason',
  'Why a method left a claim out of its estimate.',
  { UNQUANTIFIED: 'UNQUANTIFIED', QUESTIONED: 'QUESTIONED', NOT_OFFICIAL: 'NOT_OFFICIAL', PARTS_ONLY: 'PARTS_ONLY', NOT_LOWEST: 'NOT_LOWEST' },
  {
    UNQUANTIFIED: 'The claim has words but no number ("dozens"): no number is invented for it (see `vagueWords`).',
    QUESTIONED: 'The claim rests on a statement reported as unverified, disputed or false.',
    NOT_OFFICIAL: 'The claimant does not speak for the state.',
    PARTS_ONLY:
      'CONSERVATIVE: the claimant counted only parts of the incident, a floor for the whole rather than a claim about it, and another claimant counted the whole.',
    NOT_LOWEST: 'CONSERVATIVE takes only the lowest claim.',
  },
);

const RelationEnum = describedEnum(
  'Relation',
  "How a claimant's number compares with the other claimants' for the same incident, metric and side.",
  { HIGHER: 'HIGHER', LOWER: 'LOWER', EQUAL: 'EQUAL', OVERLAPPING: 'OVERLAPPING', NO_COMPARISON: 'NO_COMPARISON' },
  {
    HIGHER: "Above every other claim: its low is above every other claimant's high.",
    LOWER: "Below every other claim: its high is below every other claimant's low.",
    EQUAL: 'The same exact number as every other claimant.',
    OVERLAPPING: 'Neither above nor below every other claim, nor equal to all: it overlaps some claim or lies between them.',
    NO_COMPARISON: 'No other claimant gave a number, or this claimant gave only words.',
  },
);

/** The order of a track record's entries. */
const ENTRY_ORDER = 'newest incident first (by when it started; undated incidents last), then by incident (the most recently recorded first), metric and side';

const spreadKey = (entry: TrackRecordEntry) => `${entry.incidentId}/${entry.metric}/${entry.side}`;

const ClaimantPosition = builder.objectRef<Position>('ClaimantPosition').implement({
  description:
    "One claimant's number for one incident (with its parts), metric and side: its standing figures at the highest level of the incident it spoke about, added up (a figure for a part is already inside the same claimant's figure for the whole). Each figure is an interval: exact or approximate n → [n, n], at least n → [n, open), at most n → [0, n], a range → its ends, words only → no number. A claimant that counted only parts gives a floor for the whole: [the sum of its parts, open).",
  fields: (t) => ({
    claimant: t.field({
      type: Claimant,
      description: 'Who claims it.',
      resolve: async (position, _args, ctx) => claimantOf(await ctx.loaders.statementWithClaimant.load(position.statementId)),
    }),
    low: t.exposeInt('low', { nullable: true, description: 'The lowest number the claim allows; null for words only ("dozens").' }),
    high: t.exposeInt('high', { nullable: true, description: 'The highest number it allows; null when open-ended or words only.' }),
    approximate: t.exposeBoolean('approximate', { description: 'Some figure was said approximately ("some 10").' }),
    exact: t.exposeBoolean('exact', { description: 'One number, not said approximately: `low` equals `high` and nothing is approximate.' }),
    unquantified: t.exposeBoolean('unquantified', {
      description: 'No number: only words ("dozens"), and no implied bound asked for (or none implied by the words).',
    }),
    impliedBounds: t.field({
      type: [ImpliedBound],
      description: 'Bounds implied by vague words (only with `vagueWords: IMPLIED_BOUNDS`): which word implied which bound.',
      resolve: (position) => impliedBoundsByWord(position.impliedBounds.map((bound) => bound.word)),
    }),
    coversWholeIncident: t.exposeBoolean('coversWholeIncident', {
      description: 'False when the claimant counted only parts of the incident (then `high` is open).',
    }),
    questioned: t.exposeBoolean('questioned', { description: 'Rests on a statement reported as unverified, disputed or false.' }),
    figures: t.field({
      type: [Figure],
      description: 'The figures behind the position.',
      resolve: (position, _args, ctx) => ctx.loaders.figure.loadMany(position.figureIds) as never,
    }),
  }),
});

const ClaimComparison = builder.objectRef<Spread>('ClaimComparison').implement({
  description: "Every claimant's number for one incident (and its parts), one metric and one side, side by side, with the spread between them.",
  fields: (t) => ({
    incident: t.field({
      type: Incident,
      description: 'The incident compared (its parts included).',
      resolve: (spread, _args, ctx) => ctx.loaders.incident.load(spread.incidentId),
    }),
    metric: t.expose('metric', { type: FigureMetricEnum, description: 'What is counted.' }),
    side: t.expose('side', { type: SideEnum, description: 'Whose people are counted.' }),
    quantifiedClaimants: t.exposeInt('quantifiedClaimants', { description: 'Claimants that gave a number.' }),
    lowest: t.exposeInt('lowest', { nullable: true, description: 'The lowest number any claimant allows.' }),
    highest: t.exposeInt('highest', { nullable: true, description: 'The highest number any claimant allows; null when a claim is open-ended.' }),
    ratio: t.exposeFloat('ratio', {
      nullable: true,
      description:
        'The smallest factor separating the claims: the highest low bound divided by the lowest high bound (84 ÷ 10 = 8.4). At most 1 when the claims overlap. Null with fewer than two claims with a number, when every claim is open-ended, or when the lowest high is 0.',
    }),
    agreement: t.expose('agreement', { type: AgreementEnum, description: 'Whether the claims can all be true.' }),
    positions: t.field({
      type: [ClaimantPosition],
      description: "Each claimant's position, highest number first; words-only claims last.",
      resolve: (spread) => spread.positions,
    }),
  }),
});

const ExcludedClaim = builder.objectRef<Estimate['excluded'][number]>('ExcludedClaim').implement({
  description: 'A claim a method left out, and why.',
  fields: (t) => ({
    position: t.field({ type: ClaimantPosition, description: 'The claim left out.', resolve: (excluded) => excluded.position }),
    reason: t.expose('reason', { type: ExclusionReasonEnum, description: 'Why it was left out.' }),
  }),
});

const EstimateRef = builder.objectRef<Estimate>('Estimate').implement({
  description: 'A number derived from competing claims by a named method, with the claims it used and those it left out.',
  fields: (t) => ({
    method: t.expose('method', { type: MethodEnum, description: 'The method applied.' }),
    low: t.exposeInt('low', { nullable: true, description: 'Lowest value of the estimate; null when no claim qualifies.' }),
    high: t.exposeInt('high', { nullable: true, description: 'Highest value; null when open-ended or no claim qualifies.' }),
    approximate: t.exposeBoolean('approximate', { description: 'Rests on an approximate claim ("some 10") among those used.' }),
    exact: t.exposeBoolean('exact', { description: 'One number, not said approximately.' }),
    impliedBounds: t.field({
      type: [ImpliedBound],
      description: 'Bounds of the used claims implied by vague words (only with `vagueWords: IMPLIED_BOUNDS`).',
      resolve: (estimate) => impliedBoundsByWord(estimate.impliedBounds.map((bound) => bound.word)),
    }),
    used: t.field({
      type: [ClaimantPosition],
      description: "The claims the estimate uses. With `excluded`, every claimant's position exactly once.",
      resolve: (estimate) => estimate.used,
    }),
    excluded: t.field({ type: [ExcludedClaim], description: 'The claims it left out, with the reason.', resolve: (estimate) => estimate.excluded }),
  }),
});

builder.prismaObjectFields('Incident', (t) => ({
  claimComparisons: t.field({
    type: [ClaimComparison],
    description: "Every claimant's number for this incident (and its parts) side by side, for each metric and side claimed, largest disagreement first.",
    args: {
      metric: t.arg({ type: FigureMetricEnum, required: false, description: 'Only this metric.' }),
      side: t.arg({ type: SideEnum, required: false, description: 'Only figures counting this side.' }),
      asOf: t.arg({ type: 'DateTime', required: false, description: 'As the record stood at this moment.' }),
      vagueWords: t.arg({
        type: VagueWordReadingEnum,
        required: false,
        defaultValue: 'NO_NUMBER',
        description: 'How claims in words only ("dozens") are read. Default NO_NUMBER: listed, with no number.',
      }),
    },
    resolve: (incident, args, ctx) =>
      compareClaims(ctx.prisma, {
        incidentIds: [incident.id],
        metric: args.metric,
        side: args.side,
        asOf: asOfOf(args.asOf),
        vagueWords: (args.vagueWords ?? 'NO_NUMBER') as VagueWordReading,
      }),
  }),
  estimate: t.field({
    type: EstimateRef,
    description:
      'One number derived from the competing claims about this incident (and its parts) for a metric and side, by the method you choose. Reproducible: it lists the claims used and those left out.',
    args: {
      metric: t.arg({ type: FigureMetricEnum, required: true, description: 'What to estimate (KILLED...).' }),
      side: t.arg({ type: SideEnum, required: true, description: 'Whose people (STATE_FORCES...).' }),
      method: t.arg({ type: MethodEnum, required: true, description: 'How to combine the claims.' }),
      asOf: t.arg({ type: 'DateTime', required: false, description: 'As the record stood at this moment.' }),
      vagueWords: t.arg({
        type: VagueWordReadingEnum,
        required: false,
        defaultValue: 'NO_NUMBER',
        description: 'How claims in words only ("dozens") are read. Default NO_NUMBER: they are left out as UNQUANTIFIED.',
      }),
    },
    resolve: async (incident, args, ctx) => {
      const [spread] = await compareClaims(ctx.prisma, {
        incidentIds: [incident.id],
        metric: args.metric,
        side: args.side,
        asOf: asOfOf(args.asOf),
        vagueWords: (args.vagueWords ?? 'NO_NUMBER') as VagueWordReading,
      });
      return reconcile(spread?.positions ?? [], args.method);
    },
  }),
}));

const DiscrepancyFilter = builder.inputType('DiscrepancyFilter', {
  description: 'Which incidents and claimants to look at for disagreements.',
  fields: (t) => ({
    between: t.field({
      type: DateRangeInput,
      required: false,
      description: 'Top-level incidents whose period overlaps this range (an incident of 4 to 6 March is in a range holding 5 March).',
    }),
    place: t.globalID({ for: [Place], required: false, description: 'Top-level incidents at this place or a place inside it.' }),
    metric: t.field({ type: FigureMetricEnum, required: false, description: 'Only this metric.' }),
    side: t.field({ type: SideEnum, required: false, description: 'Only figures counting this side.' }),
    claimantOrganisations: t.globalIDList({
      for: [Organisation],
      required: false,
      description: 'Compare only these organisations (with any officials given).',
    }),
    claimantOfficials: t.globalIDList({ for: [Official], required: false, description: 'Compare only these officials (with any organisations given).' }),
    asOf: t.field({ type: 'DateTime', required: false, description: 'As the record stood at this moment.' }),
  }),
});

function claimantKeys(filter: typeof DiscrepancyFilter.$inferInput | null | undefined): string[] | null {
  const keys = [
    ...(filter?.claimantOrganisations ?? []).map((id) => `organisation:${databaseId(id)}`),
    ...(filter?.claimantOfficials ?? []).map((id) => `official:${databaseId(id)}`),
  ];
  return keys.length > 0 ? keys : null;
}

const DiscrepancyEdge = builder.objectRef<Spread>('DiscrepancyEdge').implement({
  description: 'A disagreement in the list, with its cursor.',
  fields: (t) => ({
    cursor: t.string({ description: 'Pass as `after` to get the disagreements listed after this one.', resolve: (spread) => encodeComparisonCursor(spread) }),
    node: t.field({ type: ClaimComparison, description: 'The claimants compared.', resolve: (spread) => spread }),
  }),
});

/** A page of disagreements with the count of the whole list, made only when asked for. */
interface DiscrepancyPage extends ComparisonPage {
  count(): Promise<BoundedCount>;
}

const DiscrepancyConnection = builder.objectRef<DiscrepancyPage>('DiscrepancyConnection').implement({
  description: 'A page of disagreements, largest ratio first, with the number of them across all pages.',
  fields: (t) => ({
    edges: t.field({ type: [DiscrepancyEdge], description: 'The disagreements on this page, largest ratio first.', resolve: (page) => page.spreads }),
    totalCount: t.int({
      description:
        'How many incident, metric and side groups have at least two claimants, across all pages: exact up to COUNT_EXACT_LIMIT (10,000 unless configured); beyond, that limit, with `totalCountKind: AT_LEAST`.',
      resolve: async (page) => (await page.count()).count,
    }),
    totalCountKind: t.field({
      type: TotalCountKind,
      description: 'Whether `totalCount` is exact (EXACT) or only a lower bound (AT_LEAST: the list is longer than the gateway counts one by one).',
      resolve: async (page) => (await page.count()).kind,
    }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      description: 'Whether there are more disagreements: pass `endCursor` as `after` for the next page.',
      resolve: (page) => forwardPageInfo(page.spreads, page.hasNextPage, encodeComparisonCursor),
    }),
  }),
});

builder.queryFields((t) => ({
  discrepancies: t.field({
    type: DiscrepancyConnection,
    description:
      'The largest disagreements between claimants, largest ratio first (groups with no ratio last; equal ratios by incident, metric and side): for each top-level incident (with its parts), metric and side that at least two claimants gave numbers for.',
    args: {
      filter: t.arg({ type: DiscrepancyFilter, required: false, description: 'Which incidents and claimants to look at.' }),
      first: t.arg.int({
        defaultValue: PAGE_SIZE.default,
        description: `How many disagreements to return (default ${PAGE_SIZE.default}, at most ${PAGE_SIZE.max}).`,
      }),
      after: t.arg.string({
        required: false,
        description: 'Return the disagreements listed after this cursor (an `endCursor` from an earlier page with the same filter).',
      }),
    },
    resolve: async (_root, args, ctx): Promise<DiscrepancyPage> => {
      const after = args.after ? decodeComparisonCursor(args.after) : null;
      if (args.after && !after) {
        throw new GraphQLError(
          `after: "${args.after}" is not a discrepancies cursor; pass the \`cursor\` or \`endCursor\` of an earlier page of discrepancies`,
          {
            extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
          },
        );
      }
      const query = {
        between: periodArg(args.filter?.between, 'filter.between'),
        placeId: args.filter?.place && databaseId(args.filter.place),
        metric: args.filter?.metric,
        side: args.filter?.side,
        claimantKeys: claimantKeys(args.filter),
        asOf: asOfOf(args.filter?.asOf, 'filter.asOf'),
        minClaimants: 2,
      };
      const page = await compareClaimsPage(ctx.prisma, { ...query, after }, Math.min(Math.max(args.first ?? PAGE_SIZE.default, 0), PAGE_SIZE.max));
      return { ...page, count: lazyBoundedCount(ctx.countExactLimit, (take) => countComparisonGroups(ctx.prisma, query, take)) };
    },
  }),
}));

const TrackRecordEntryRef = builder.objectRef<TrackRecordEntry>('TrackRecordEntry').implement({
  description: "One incident, metric and side the claimant gave a number for, and how its number compared with the others'.",
  fields: (t) => ({
    comparison: t.field({
      type: ClaimComparison,
      description: 'All claimants side by side.',
      resolve: (entry, _args, ctx) => entry.spread ?? ctx.loaders.standingSpread.load(spreadKey(entry)),
    }),
    own: t.field({
      type: ClaimantPosition,
      description: "The claimant's own position.",
      resolve: async (entry, _args, ctx) => {
        const spread = entry.spread ?? (await ctx.loaders.standingSpread.load(spreadKey(entry)));
        // Read after the page, in another statement: a write in between can have taken it away.
        const own = spread.positions.find((position) => position.claimantKey === entry.claimantKey);
        if (!own) throw new GraphQLError('The record changed while this track record was read: ask again.');
        return own;
      },
    }),
    relation: t.expose('relation', { type: RelationEnum, description: 'Higher, lower, equal or overlapping.' }),
    ratio: t.exposeFloat('ratio', {
      nullable: true,
      description:
        "How many times the others' claims its claim is, where it stands clear of them: HIGHER, its low ÷ the others' highest high (the BLA's 84 ÷ 10 = 8.4); LOWER, its high ÷ the others' lowest low; EQUAL, 1. Null when the claims overlap or there is nothing to compare.",
    }),
  }),
});

const TrackRecordSummaryRef = builder.objectRef<TrackRecordSummary>('TrackRecordSummary').implement({
  description: 'How often the claimant was higher, lower, equal or overlapping, over all its entries (not only one page of them).',
  fields: (t) => ({
    comparisons: t.exposeInt('comparisons', { description: "Comparisons with at least one other claimant's number." }),
    higher: t.exposeInt('HIGHER', { description: 'Times it was higher than every other claimant.' }),
    lower: t.exposeInt('LOWER', { description: 'Times it was lower than every other claimant.' }),
    equal: t.exposeInt('EQUAL', { description: 'Times every claimant gave the same number.' }),
    overlapping: t.exposeInt('OVERLAPPING', { description: 'Times the claims overlapped.' }),
    medianRatio: t.exposeFloat('medianRatio', {
      nullable: true,
      description: "Median of the entries' ratios (entries without a ratio left out; with an even number, the mean of the middle two).",
    }),
  }),
});

const TrackRecordEntryEdge = builder.objectRef<TrackRecordEntry>('TrackRecordEntryEdge').implement({
  description: 'An entry of the track record, with its cursor.',
  fields: (t) => ({
    cursor: t.string({ description: 'Pass as `after` to get the entries listed after this one.', resolve: (entry) => encodeEntryCursor(entry) }),
    node: t.field({ type: TrackRecordEntryRef, description: 'The entry.', resolve: (entry) => entry }),
  }),
});

/** A page of entries, with the count of them all (the summary's), read only when asked for. */
interface TrackRecordEntryPage extends TrackRecordPage {
  totalCount(): Promise<number>;
}

const TrackRecordEntryConnection = builder.objectRef<TrackRecordEntryPage>('TrackRecordEntryConnection').implement({
  description: `A page of a track record's entries, ${ENTRY_ORDER}.`,
  fields: (t) => ({
    edges: t.field({ type: [TrackRecordEntryEdge], description: `The entries on this page, ${ENTRY_ORDER}.`, resolve: (page) => page.entries }),
    totalCount: t.int({ description: 'How many entries the track record has, across all pages (exact).', resolve: (page) => page.totalCount() }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      description: 'Whether there are more entries: pass `endCursor` as `after` for the next page.',
      resolve: (page) => forwardPageInfo(page.entries, page.hasNextPage, encodeEntryCursor),
    }),
  }),
});

/** Whose track record, and as of when (null: as the record stands now). */
interface TrackRecordOf {
  claimantKey: string;
  asOf: Date | null;
}

const TrackRecordRef = builder.objectRef<TrackRecordOf>('TrackRecord').implement({
  description: "A claimant's claims over time, each compared with other claimants' for the same incident, metric and side.",
  fields: (t) => ({
    entries: t.field({
      type: TrackRecordEntryConnection,
      description: `One entry per top-level incident (with its parts), metric and side the claimant gave a number for, ${ENTRY_ORDER}, a page at a time.`,
      args: {
        first: t.arg.int({
          defaultValue: PAGE_SIZE.default,
          description: `How many entries to return (default ${PAGE_SIZE.default}, at most ${PAGE_SIZE.max}).`,
        }),
        after: t.arg.string({ required: false, description: 'Return the entries listed after this cursor (an `endCursor` from an earlier page).' }),
      },
      resolve: async (record, args, ctx): Promise<TrackRecordEntryPage> => {
        const after = args.after ? decodeEntryCursor(args.after) : null;
        if (args.after && !after) {
          throw new GraphQLError(`after: "${args.after}" is not a track record cursor; pass the \`cursor\` or \`endCursor\` of an earlier page of entries`, {
            extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
          });
        }
        const first = Math.min(Math.max(args.first ?? PAGE_SIZE.default, 0), PAGE_SIZE.max);
        const page = await ctx.loaders.trackRecordPage(record.asOf, first, after).load(record.claimantKey);
        return { ...page, totalCount: async () => (await ctx.loaders.trackRecordSummary(record.asOf).load(record.claimantKey)).entries };
      },
    }),
    summary: t.field({
      type: TrackRecordSummaryRef,
      description: 'Counts and the median ratio, over every entry.',
      resolve: (record, _args, ctx) => ctx.loaders.trackRecordSummary(record.asOf).load(record.claimantKey),
    }),
  }),
});

for (const [model, prefix] of [
  ['Organisation', 'organisation'],
  ['Official', 'official'],
] as const) {
  builder.prismaObjectField(model, 'trackRecord', (t) =>
    t.field({
      type: TrackRecordRef,
      description: "How this claimant's numbers compared with other claimants' on every incident it gave numbers for.",
      args: { asOf: t.arg({ type: 'DateTime', required: false, description: 'As the record stood at this moment.' }) },
      resolve: (claimant, args) => ({ claimantKey: `${prefix}:${claimant.id}`, asOf: asOfOf(args.asOf) ?? null }),
    }),
  );
}
