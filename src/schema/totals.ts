// Totals of figures over many incidents, computed in the database, keeping what was said
// uncertain uncertain: ranges add as ranges, open bounds stay open, words stay words, and a
// sub-incident is never counted again inside its parent. The rules live in src/claims/totals.ts.
import type { Place as PlaceRow } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { Claimant, claimantOf, claimantSelection, type ClaimantShape } from './claimant.js';
import { asOfOf, databaseId, DateRangeInput } from './common.js';
import { periodOf } from '../rules/dates.js';
import { dateRangeInput } from '../rules/fields.js';
import { readArgument } from './inputs.js';
import { FigureMetricEnum, SideEnum, VictimCategoryEnum } from './figure.js';
import { Official } from './official.js';
import { Organisation } from './organisation.js';
import { Place } from './place.js';
import {
  figureTotals,
  type ClaimantCombination,
  type FigureTotal as FigureTotalRow,
  type TotalGrouping,
} from '../claims/totals.js';

const FigureTotalGroupingEnum = builder.enumType('FigureTotalGrouping', {
  description: 'How totals are split into groups. Each group is one `FigureTotal`.',
  values: {
    NONE: { description: 'One total for everything selected.' },
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
        "One total per claimant (the BLA, \"security officials\", an official): each claimant's own count, never mixed with another's. This is the grouping that shows competing claims side by side.",
    },
  } satisfies Record<TotalGrouping, { description: string }>,
});

const ClaimantCombinationEnum = builder.enumType('ClaimantCombination', {
  description:
    'When several claimants counted the same incident, their counts are alternatives, never added together. This says how they are combined for each incident (with everything inside it) in totals that are not grouped by claimant. An open upper bound ("at least 67", "dozens") counts as the highest.',
  values: {
    ENVELOPE: {
      description:
        'The range that covers every claimant: the lowest low any claimant gives to the highest high any claimant gives (open if any is open). The default.',
    },
    LOWEST_CLAIM: {
      description: 'The lowest count anyone claims: the lowest low and the lowest high that any claimant gives.',
    },
    HIGHEST_CLAIM: {
      description: 'The highest count anyone claims: the highest low and the highest high (open if any is open) that any claimant gives.',
    },
  } satisfies Record<ClaimantCombination, { description: string }>,
});

const FigureTotalsInput = builder.inputType('FigureTotalsInput', {
  description:
    'What to add up. Only figures that stand are counted (not superseded, not retracted — as of `asOf` when given). All given conditions must hold.',
  fields: (t) => ({
    metric: t.field({ type: FigureMetricEnum, required: true, description: 'What is counted (KILLED, INJURED...). Totals never mix metrics.' }),
    sides: t.field({
      type: [SideEnum],
      required: false,
      description: "Only figures counting people of these sides. Leave out for all sides (one side's deaths are then added to another's).",
    }),
    victimCategories: t.field({ type: [VictimCategoryEnum], required: false, description: 'Only figures counting these people.' }),
    between: t.field({
      type: DateRangeInput,
      required: false,
      description:
        "Only figures counting a period that overlaps this range (inclusive, UTC): the figure's own period when the reporting gives one, else its incident's (from its start to its end), else — when the incident has no date, or the figure no incident — the day of the statement that claims the figure. Figures with no date at all fall outside any range.",
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
  }),
});

type FigureTotalShape = FigureTotalRow & { place: PlaceRow | null; claimant: ClaimantShape | null };

const FigureTotal = builder.objectRef<FigureTotalShape>('FigureTotal').implement({
  description:
    'A total of figures that keeps their uncertainty: an interval from `low` to `high` (null: open — no upper bound). Each figure contributes what its words allow: an exact or approximate number n as [n, n], "at least n" as [n, open), "at most n" as [0, n], a range as its ends, and words without a number ("dozens") as [0, open) — never a made-up number. Figures add up bound by bound. For each claimant, side and incident, a figure for the whole incident is used and the same claimant\'s figures for its parts (sub-incidents) are left out, since they are inside it; a claimant who counted only the parts has them added up. Several figures of one claimant for one incident (different victim categories) add up. Different claimants\' counts of the same incident are never added: they are kept apart by claimant grouping, or combined as `claimantCombination` says.',
  fields: (t) => ({
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
    low: t.exposeInt('low', { description: 'The lowest the total can be, by what was said (the sum of the lowest each part allows).' }),
    high: t.exposeInt('high', {
      nullable: true,
      description: 'The highest the total can be, by what was said; null when open: some part has no upper bound ("at least 67", "dozens").',
    }),
    exact: t.exposeBoolean('exact', {
      description: 'True when the total is one exact number: `low` equals `high` and no part was approximate or unquantified.',
    }),
    approximate: t.exposeBoolean('approximate', { description: 'True when some part was said approximately ("some 10"): the bounds are not exact.' }),
    includesUnquantified: t.exposeBoolean('includesUnquantified', {
      description:
        'True when some part was said only in words ("dozens"): it counts as zero to open in the bounds, and the total is open. Read the figures themselves for the words.',
    }),
    figureCount: t.exposeInt('figureCount', {
      description: 'How many figures the total is made of (after leaving out sub-incident figures already inside a parent figure).',
    }),
    incidentCount: t.exposeInt('incidentCount', {
      description: 'How many incidents the figures are for, an incident counted once with everything inside it. Figures not tied to an incident are not counted here.',
    }),
  }),
});

builder.queryFields((t) => ({
  figureTotals: t.field({
    type: [FigureTotal],
    description:
      'Totals of the figures claimed for many incidents — per day, week, month, place or claimant, or overall — as intervals that keep uncertainty: ranges add as ranges, open bounds stay open, "dozens" is never a number, and a sub-incident is never counted again inside its parent. Superseded and retracted figures are left out. Only groups with at least one figure are listed: no group means nobody claimed a figure, not zero. Groups come in order of period, then place name, then claimant name.',
    args: { input: t.arg({ type: FigureTotalsInput, required: true, description: 'What to add up and how to group it.' }) },
    resolve: async (_root, { input }, ctx) => {
      const totals = await figureTotals(ctx.prisma, {
        metric: input.metric,
        sides: input.sides,
        victimCategories: input.victimCategories,
        between: periodOf(readArgument(dateRangeInput, input.between, 'input.between')),
        placeId: input.place ? databaseId(input.place) : null,
        claimantOrganisationIds: input.claimantOrganisations?.map(databaseId),
        claimantOfficialIds: input.claimantOfficials?.map(databaseId),
        asOf: asOfOf(input.asOf, 'input.asOf'),
        groupBy: input.groupBy ?? 'NONE',
        claimantCombination: input.claimantCombination ?? 'ENVELOPE',
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
