// The list filters compiled reads say in SQL (./twins.ts): each the SQL twin of the filter's
// Prisma condition in src/claims/filters.ts or src/schema/, over the same rows and rules; a
// condition not written here is refused (NotCompiled) and the list is executed as usual.
import { Prisma } from '../generated/prisma/client.js';
import { type FigureFilter, idOf, statementFilterInput } from '../claims/filters.js';
import { visibleFigureSql, visibleParticipantSql, visibleStatementSql } from '../claims/standing.js';
import { subtreeSql } from '../claims/trees.js';
import { incidentFilterInput } from '../schema/incident.js';
import { readArgument } from '../schema/inputs.js';
import { type FieldCall, NotCompiled } from './compile.js';

const raw = Prisma.raw;

/** `kinds` of a list filter, or NotCompiled for any other condition (executed as usual). */
export function kindsOnly(filter: unknown, row: Prisma.Sql): Prisma.Sql {
  onlyConditions(filter as object | null, ['kinds']);
  const { kinds } = (filter ?? {}) as { kinds?: string[] | null };
  return kinds ? within(row, 'kind', kinds) : Prisma.sql`TRUE`;
}

/** A filter's value as execution reads it (its rules applied), or NotCompiled for one it refuses. */
export function filterOf<T>(read: () => T): T {
  try {
    return read();
  } catch {
    throw new NotCompiled('a filter execution refuses: it words the error');
  }
}

/** What `figures(filter:)` can say in SQL here; other conditions are executed as usual. */
const FIGURE_FILTERS_IN_SQL = ['metrics', 'victimCategories', 'sides', 'current', 'includeRetracted'];

/**
 * The rows of `figureWhere` (src/claims/filters.ts) for the filters above, figure `f` of
 * statement `s`: not retracted unless asked (never for current figures), the lists, and whether
 * a revision supersedes it. A current figure is one the database keeps `standing` (the rule, kept
 * by the migration figure_standing): its statement is not retracted either, so no join, and its
 * partial index serves the page and the count however many figures stand no more.
 */
export function figureRows(filter: FigureFilter | null, f: Prisma.Sql, s: Prisma.Sql): Prisma.Sql {
  onlyConditions(filter, FIGURE_FILTERS_IN_SQL);
  const conditions: Prisma.Sql[] = [];
  if (filter?.metrics) conditions.push(within(f, 'metric', filter.metrics));
  if (filter?.victimCategories) conditions.push(within(f, 'victimCategory', filter.victimCategories));
  if (filter?.sides) conditions.push(within(f, 'side', filter.sides));
  if (filter?.current === true) return Prisma.sql`"Figure" ${f} WHERE ${Prisma.join([Prisma.sql`${f}.standing`, ...conditions], ' AND ')}`;
  conditions.unshift(visibleFigureSql(f, s, { includeRetracted: filter?.includeRetracted }));
  if (filter?.current === false) conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "Figure" revision WHERE revision."supersedesId" = ${f}.id)`);
  return Prisma.sql`"Figure" ${f} JOIN "Statement" ${s} ON ${s}.id = ${f}."statementId" WHERE ${Prisma.join(conditions, ' AND ')}`;
}

/** Refuses (NotCompiled) a filter naming a condition outside `inSql`: it is executed as usual. */
function onlyConditions(filter: object | null | undefined, inSql: readonly string[]): void {
  for (const [key, value] of Object.entries(filter ?? {})) {
    if (value != null && !inSql.includes(key)) throw new NotCompiled(`filtered by ${key}`);
  }
}

/** Column `column` of `row` is one of `values` (an empty list matches nothing, as Prisma's `in: []`). */
const within = (row: Prisma.Sql, column: string, values: readonly string[]) =>
  values.length ? Prisma.sql`${row}.${raw(`"${column}"`)} IN (${Prisma.join(values)})` : Prisma.sql`FALSE`;

/** `involving` of src/schema/incident.ts: took part in (a visible participation) or made a visible statement about incident `incident`. */
function involvingSql(call: FieldCall, incident: Prisma.Sql, column: 'organisationId' | 'officialId', id: number): Prisma.Sql {
  const [p, link, s] = [call.compilation.alias(), call.compilation.alias(), call.compilation.alias()];
  const who = (row: Prisma.Sql) => Prisma.sql`${row}.${raw(`"${column}"`)} = ${id}::int`;
  return Prisma.sql`(EXISTS (SELECT 1 FROM "IncidentParticipant" ${p} WHERE ${p}."incidentId" = ${incident}.id AND ${who(p)} AND ${visibleParticipantSql(p)})
    OR EXISTS (SELECT 1 FROM "StatementIncident" ${link} JOIN "Statement" ${s} ON ${s}.id = ${link}."statementId"
      WHERE ${link}."incidentId" = ${incident}.id AND ${who(s)} AND ${visibleStatementSql(s)}))`;
}

/** Incident `incident` is at `place` (an id, or the id column of an outer row), or at a place inside it unless `subPlaces` is false. */
export const atPlaceSql = (call: FieldCall, incident: Prisma.Sql, place: number | Prisma.Sql, options: { subPlaces: boolean } = { subPlaces: true }) => {
  const at = call.compilation.alias();
  const root = typeof place === 'number' ? Prisma.sql`${place}::int` : place;
  // The subtree as one array, computed once per place: probed by the link's key for each incident
  // in the list's order, where a semi join rescanned the subtree's links for each (251 → 15 ms for
  // 20 places' first incidents at 100k figures).
  const places = options.subPlaces ? Prisma.sql`= ANY (ARRAY${subtreeSql('place', typeof place === 'number' ? [place] : place)})` : Prisma.sql`= ${root}`;
  return Prisma.sql`EXISTS (SELECT 1 FROM "IncidentPlace" ${at} WHERE ${at}."incidentId" = ${incident}.id AND ${at}."placeId" ${places})`;
};

/** `incidentsWhere` (src/schema/incident.ts) in SQL, for the conditions written here. */
export function incidentConditions(call: FieldCall, r: Prisma.Sql): Prisma.Sql[] {
  const filter = filterOf(() => readArgument(incidentFilterInput, call.args.filter, 'filter'));
  onlyConditions(filter, ['kinds', 'topLevelOnly', 'place', 'organisation', 'official']);
  const conditions = [Prisma.sql`TRUE`];
  if (filter?.kinds) conditions.push(within(r, 'kind', filter.kinds));
  if (filter?.topLevelOnly) conditions.push(Prisma.sql`${r}."parentId" IS NULL`);
  if (filter?.place) conditions.push(atPlaceSql(call, r, idOf(filter.place)!));
  if (filter?.organisation) conditions.push(involvingSql(call, r, 'organisationId', idOf(filter.organisation)!));
  if (filter?.official) conditions.push(involvingSql(call, r, 'officialId', idOf(filter.official)!));
  return conditions;
}

/** `statementWhere` (src/claims/filters.ts) in SQL, for the conditions written here. */
export function statementConditions(call: FieldCall, r: Prisma.Sql): Prisma.Sql[] {
  const filter = filterOf(() => readArgument(statementFilterInput, call.args.filter, 'filter'));
  onlyConditions(filter, ['kinds', 'claimantKinds', 'organisation', 'official', 'verification', 'incident', 'place', 'includeRetracted']);
  const conditions = [visibleStatementSql(r, { includeRetracted: filter?.includeRetracted })];
  if (filter?.kinds) conditions.push(within(r, 'kind', filter.kinds));
  if (filter?.claimantKinds) conditions.push(within(r, 'claimantKind', filter.claimantKinds));
  if (filter?.organisation) conditions.push(Prisma.sql`${r}."organisationId" = ${idOf(filter.organisation)!}::int`);
  if (filter?.official) conditions.push(Prisma.sql`${r}."officialId" = ${idOf(filter.official)!}::int`);
  if (filter?.verification) conditions.push(within(r, 'verification', filter.verification));
  const about = (incident: (i: Prisma.Sql) => Prisma.Sql) => {
    const [link, i] = [call.compilation.alias(), call.compilation.alias()];
    return Prisma.sql`EXISTS (SELECT 1 FROM "StatementIncident" ${link} JOIN "Incident" ${i} ON ${i}.id = ${link}."incidentId" WHERE ${link}."statementId" = ${r}.id AND ${incident(i)})`;
  };
  if (filter?.incident) conditions.push(about((i) => Prisma.sql`${i}.id IN ${subtreeSql('incident', [idOf(filter.incident)!])}`));
  if (filter?.place) conditions.push(about((i) => atPlaceSql(call, i, idOf(filter.place)!)));
  return conditions;
}
