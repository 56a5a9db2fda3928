// Totals of figures over many incidents, computed in the database, keeping what was said
// uncertain uncertain: ranges add as ranges, open bounds stay open, words stay words, and a
// sub-incident is never counted again inside its parent. The rules live in src/claims/totals.ts
// and src/claims/interval.ts.
import type { Place as PlaceRow } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { Claimant, claimantOf, claimantSelection, type ClaimantShape } from './claimant.js';
import { asOfOf, databaseId, DateRangeInput } from './common.js';
import { periodOf } from '../rules/dates.js';
import { dateRangeInput } from '../rules/fields.js';
import { readArgument } from './inputs.js';
import { FigureMetricEnum, SideEnum, VictimCategoryEnum } from './figure.js';
import { Incident } from './incident.js';
import { Official } from './official.js';
import { Organisation } from './organisation.js';
import { Place } from './place.js';
import { figureTotals, type ClaimantCombination, type FigureTotal as FigureTotalRow, type TotalGrouping } from '../claims/totals.js';
import type { VagueWordReading } from '../claims/interval.js';
import { ImpliedBound, impliedBoundsByWord, VagueWordReadingEnum } from './vague-words.js';

const FigureTotalGroupingEnum = builder.enumType('FigureTotalGrouping', {
  description: 'How totals are split into groups. Each group is one `FigureTotal` per side counted: totals never add sides.',
  values: {
    NONE: { description: 'One total for everything selected (one per side).' },
    DAY: {
      description:
        "One total per day (UTC) on which the incidents happened: by the incident's start date, or by the date of the claiming statement when the incident has no date.",
    },
    WEEK: { description: 'One total per week (weeks start on Monday, UTC), dated as for DAY.' },
    MONTH: { description: 'One total per calendar month (UTC), dated as for DAY.' },
    PLACE: {
      description:
        "One total per place directly inside the requested `place` (per country when no place is requested), by the figure's own place — or, for a figure with no place of its own, its incident's place when the incident has exactly one. Figures placed no more precisely than the requested place itself (\"in Balochistan\") get a group of their own for that place; a figure whose parent-incident figure is counted stays inside that figure's group.",
    },
    CLAIMANT: {
      description:
        'One total per claimant (the BLA, "security officials", an official): each claimant\'s own count, never mixed with another\'s. This is the grouping that shows competing claims side by side.',
    },
  } satisfies Record<TotalGrouping, { description: string }>,
});

const ClaimantCombinationEnum = builder.enumType('ClaimantCombination', {
  description:
    'When several claimants counted the same incident, their counts are alternatives, never added together. This says how their positions are combined for each incident (with everything inside it) in totals that are not grouped by claimant. Claims in words only ("dozens", unless `vagueWords: IMPLIED_BOUNDS`) have no number and take no part in the bounds.',
  values: {
    ENVELOPE: {
      description:
        "The default. The range that covers every claim with a number: the lowest low of any claimant to the highest high of any claimant (open if any is open). The only combination that puts one claimant's low beside another's high.",
    },
    LOWEST_CLAIM: {
      description:
        "One claimant's position, taken whole: the claim with the lowest low among those for the whole incident (then the lowest high). A claimant who counted only parts gives a floor, not a claim about the whole, and is taken only when nobody counted the whole.",
    },
    HIGHEST_CLAIM: {
      description:
        "One claimant's position, taken whole: the claim with the highest low (then the highest high, open highest), floors from claimants who counted only parts included: they do claim at least that many.",
    },
  } satisfies Record<ClaimantCombination, { description: string }>,
});

const FigureTotalsInput = builder.inputType('FigureTotalsInput', {
  description: 'What to add up. Only figures that stand are counted (not superseded, not retracted — as of `asOf` when given). All given conditions must hold.',
  fields: (t) => ({
    metric: t.field({ type: FigureMetricEnum, required: true, description: 'What is counted (KILLED, INJURED...). Totals never mix metrics.' }),
    sides: t.field({
      type: [SideEnum],
      required: false,
      description:
        "Only figures counting people of these sides. Leave out for all sides. Each side gets its own totals: one side's deaths are never added to another's.",
    }),
    victimCategories: t.field({ type: [VictimCategoryEnum], required: false, description: 'Only figures counting these people.' }),
    between: t.field({
      type: DateRangeInput,
      required: false,
      description:
        "Only figures counting a period that overlaps this range (inclusive, UTC): the figure's own period when the reporting gives one, else its incident's (from its start to its end), else — when the incident has no date, or the figure no incident — the day of the statement that claims the figure. Figures with no date at all fall outside any range.",
    }),
    incident: t.globalID({
      for: [Incident],
      required: false,
      description:
        "Only figures for this incident and the incidents inside it. Each claimant's figures then add up to its position on this incident, as in `claimComparisons`: a claimant who counted only parts of it gives a floor.",
    }),
    place: t.globalID({
      for: [Place],
      required: false,
      description:
        "Only figures at this place or any place inside it: by the figure's own place, or, for figures with no place of their own, by their incident's places.",
    }),
    claimantOrganisations: t.globalIDList({
      for: [Organisation],
      required: false,
      description: 'Only figures claimed by one of these organisations (or one of the officials in `claimantOfficials`).',
    }),
    claimantOfficials: t.globalIDList({
      for: [Official],
      required: false,
      description: 'Only figures claimed by one of these officials (or one of the organisations in `claimantOrganisations`).',
    }),
    asOf: t.field({
      type: 'DateTime',
      required: false,
      description:
        "Total as the record stood at this moment: only figures claimed by then (the statement's date, or when it was recorded if it has none), not yet revised or retracted then (the Gwadar toll was five before it was 11).",
    }),
    groupBy: t.field({
      type: FigureTotalGroupingEnum,
      required: false,
      defaultValue: 'NONE',
      description: 'How to split the total: by day, week, month, place or claimant; NONE (the default) for one total.',
    }),
    claimantCombination: t.field({
      type: ClaimantCombinationEnum,
      required: false,
      defaultValue: 'ENVELOPE',
      description: 'How the counts of different claimants for the same incident are combined (ignored when grouping by claimant). Default ENVELOPE.',
    }),
    vagueWords: t.field({
      type: VagueWordReadingEnum,
      required: false,
      defaultValue: 'NO_NUMBER',
      description: 'How figures in words only ("dozens") are read. Default NO_NUMBER: they give no number.',
    }),
  }),
});

type FigureTotalShape = FigureTotalRow & { place: PlaceRow | null; claimant: ClaimantShape | null };

const FigureTotal = builder.objectRef<FigureTotalShape>('FigureTotal').implement({
  description:
    'A total of figures for one side that keeps their uncertainty: an interval from `low` to `high` (null: open — no upper bound). Each figure contributes what its words allow: an exact or approximate number n as [n, n], "at least n" as [n, open), "at most n" as [0, n], a range as its ends; words without a number ("dozens") give no number — added to numbers they keep the lows and leave the high open. Figures add up bound by bound. For each claimant, side and incident tree, a figure for the whole incident is used and the same claimant\'s figures for its parts (sub-incidents) are left out, since they are inside it; a claimant who counted only parts gives a floor for the whole: [the sum of its parts, open). Different claimants\' counts of the same incident are never added: they are kept apart by claimant grouping, or combined as `claimantCombination` says.',
  fields: (t) => ({
    side: t.expose('side', { type: SideEnum, description: 'Whose people the total counts. Totals never add different sides.' }),
    periodStart: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'DAY, WEEK or MONTH grouping: the first day of the period (UTC midnight; weeks start on Monday). Null for figures with no date, and for other groupings.',
      resolve: (total) => total.periodStart,
    }),
    place: t.field({
      type: Place,
      nullable: true,
      description:
        'PLACE grouping: the place the total is for (a place directly inside the requested one, or the requested place itself for figures placed no more precisely). Null for other groupings, and for figures that give no single place.',
      resolve: (total) => total.place,
    }),
    claimant: t.field({
      type: Claimant,
      nullable: true,
      description: 'CLAIMANT grouping: who claimed these figures. Null for other groupings.',
      resolve: (total) => total.claimant,
    }),
    low: t.exposeInt('low', {
      nullable: true,
      description:
        'The lowest the total can be, by what was said (the sum of the lowest each part allows); null when no figure behind it gave a number (only words such as "dozens").',
    }),
    high: t.exposeInt('high', {
      nullable: true,
      description:
        'The highest the total can be, by what was said; null when open — some part has no upper bound ("at least 67", a claimant who counted only parts, words added to numbers) — or when there is no number at all.',
    }),
    exact: t.exposeBoolean('exact', {
      description: 'True when the total is one exact number: `low` equals `high` and nothing behind it was said approximately.',
    }),
    approximate: t.exposeBoolean('approximate', {
      description: 'True when some figure the total is made of was said approximately ("some 10"): the bounds are not exact.',
    }),
    includesUnquantified: t.exposeBoolean('includesUnquantified', {
      description:
        'True when some figure the total is made of was said only in words ("dozens"). Such a figure gives no number (unless an implied bound was asked for): alongside numbers it leaves the high open; as a competing claim it takes no part in the bounds. Read the figures themselves for the words.',
    }),
    impliedBounds: t.field({
      type: [ImpliedBound],
      description: 'Bounds implied by vague words (only with `vagueWords: IMPLIED_BOUNDS`): which word implied which bound, for how many figures.',
      resolve: (total) => impliedBoundsByWord(total.impliedWords),
    }),
    figureCount: t.exposeInt('figureCount', {
      description:
        "How many figures the total is made of (after leaving out sub-incident figures already inside a parent figure): with LOWEST_CLAIM or HIGHEST_CLAIM, only the chosen claims' figures.",
    }),
    incidentCount: t.exposeInt('incidentCount', {
      description:
        'How many incidents the figures are for, an incident counted once with everything inside it. Figures not tied to an incident are not counted here.',
    }),
  }),
});

builder.queryFields((t) => ({
  figureTotals: t.field({
    type: [FigureTotal],
    description:
      'Totals of the figures claimed for many incidents — per day, week, month, place or claimant, or overall — as intervals that keep uncertainty: ranges add as ranges, open bounds stay open, "dozens" is never a number, and a sub-incident is never counted again inside its parent. Superseded and retracted figures are left out. Each side counted gets its own totals: sides are never added together. Only groups with at least one figure are listed: no group means nobody claimed a figure, not zero. Groups come in order of period, then place name, then claimant name, then side.',
    args: { input: t.arg({ type: FigureTotalsInput, required: true, description: 'What to add up and how to group it.' }) },
    resolve: async (_root, { input }, ctx) => {
      const totals = await figureTotals(ctx.prisma, {
        metric: input.metric,
        sides: input.sides,
        victimCategories: input.victimCategories,
        between: periodOf(readArgument(dateRangeInput, input.between, 'input.between')),
        incidentId: input.incident ? databaseId(input.incident) : null,
        placeId: input.place ? databaseId(input.place) : null,
        claimantOrganisationIds: input.claimantOrganisations?.map(databaseId),
        claimantOfficialIds: input.claimantOfficials?.map(databaseId),
        asOf: asOfOf(input.asOf, 'input.asOf'),
        groupBy: input.groupBy ?? 'NONE',
        claimantCombination: input.claimantCombination ?? 'ENVELOPE',
        vagueWords: (input.vagueWords ?? 'NO_NUMBER') as VagueWordReading,
      });
      // Group keys resolved for all groups at once: one query for places, one for claimants.
      const placeIds = [...new Set(totals.flatMap((total) => (total.placeId === null ? [] : [total.placeId])))];
      const statementIds = [...new Set(totals.flatMap((total) => (total.claimantStatementId === null ? [] : [total.claimantStatementId])))];
      const [places, statements] = await Promise.all([
        placeIds.length ? ctx.prisma.place.findMany({ where: { id: { in: placeIds } } }) : [],
        statementIds.length ? ctx.prisma.statement.findMany({ where: { id: { in: statementIds } }, include: claimantSelection }) : [],
      ]);
      const placeById = new Map(places.map((place) => [place.id, place]));
      const statementById = new Map(statements.map((statement) => [statement.id, statement]));
      return totals.map((total) => {
        const statement = total.claimantStatementId === null ? undefined : statementById.get(total.claimantStatementId);
        return {
          ...total,
          place: total.placeId === null ? null : (placeById.get(total.placeId) ?? null),
          claimant: statement ? claimantOf(statement) : null,
        };
      });
    },
  }),
}));
