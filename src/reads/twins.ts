// The SQL twins of the schema's fields, for compiled reads (./compile.ts): what each relation,
// list, connection and computed field of src/schema/ answers, written as SQL over the same rows
// and the same rules (visibility from src/claims/standing.ts, names from src/claims/claimants.ts,
// orders and page sizes as the field's Pothos definition has them). Plain columns (`t.expose…`)
// need no twin. A field without one is simply executed as usual, with every operation that asks
// for it; test/compiled-reads.test.ts checks every twin here against the field's execution.
import { Prisma } from '../generated/prisma/client.js';
import { officialNameSql } from '../claims/claimants.js';
import { visibleFigureSql, visibleParticipantSql, visibleStatementSql } from '../claims/standing.js';
import { parseGlobalID } from '../schema/global-ids.js';
import { type FieldCall, type FieldTwin, jsonList, NotCompiled, type TypeTwin } from './compile.js';
import { searchConnection } from './search-hits.js';
import { atPlaceSql, figureRows, filterOf, incidentConditions, kindsOnly, statementConditions } from './conditions.js';
import { figureFilterInput } from '../claims/filters.js';
import { readArgument } from '../schema/inputs.js';
import {
  BY_ID,
  BY_NAME,
  boundedCount,
  compoundCursor,
  connection,
  fromLink,
  globalId,
  idCursor,
  LATEST_RECORDED_FIRST,
  type ListOrder,
  list,
  NEWEST_INCIDENTS_FIRST,
  NEWEST_STATEMENTS_FIRST,
  one,
  oneOf,
  orderBy,
  relationCount,
  TABLES,
} from './shapes.js';

const raw = Prisma.raw;
const byId = (row: Prisma.Sql) => Prisma.sql`${row}.id`;

/** The field's `includeRetracted` argument, for the visibility twins of src/claims/standing.ts. */
const view = (call: FieldCall) => ({ includeRetracted: call.args.includeRetracted as boolean | null });

/** Whether figure `figure` may be listed, its statement looked up: visibleFigureSql's rule. */
function visibleFigure(call: FieldCall, figure: Prisma.Sql): Prisma.Sql {
  const s = call.compilation.alias();
  return Prisma.sql`EXISTS (SELECT 1 FROM "Statement" ${s} WHERE ${s}.id = ${figure}."statementId" AND ${visibleFigureSql(figure, s, view(call))})`;
}

/** The items of `typeName` one parent row links to through `link`'s columns, in id order. */
const throughLink =
  (typeName: string, link: string, parentColumn: string, itemColumn: string): FieldTwin =>
  (call) => {
    const [l, r] = [call.compilation.alias(), call.compilation.alias()];
    return list(
      call,
      typeName,
      r,
      Prisma.sql`${raw(`"${link}"`)} ${l} JOIN ${TABLES[typeName]!} ${r} ON ${r}.id = ${l}.${raw(`"${itemColumn}"`)} WHERE ${l}.${raw(`"${parentColumn}"`)} = ${call.row}.id`,
      byId(r),
    );
  };

/** The object of `typeName` whose id is in the parent row's column `column` (null when it is). */
const toOne =
  (typeName: string, column: string): FieldTwin =>
  (call) => {
    const r = call.compilation.alias();
    return one(call, typeName, r, Prisma.sql`${TABLES[typeName]!} ${r} WHERE ${r}.id = ${call.row}.${raw(`"${column}"`)}`);
  };

/** The rows of `table` whose column `column` holds the parent row's id, as a list in `order`. */
const toMany =
  (typeName: string, table: string, column: string, order: (row: Prisma.Sql) => Prisma.Sql): FieldTwin =>
  (call) => {
    const r = call.compilation.alias();
    return list(call, typeName, r, Prisma.sql`${raw(`"${table}"`)} ${r} WHERE ${r}.${raw(`"${column}"`)} = ${call.row}.id`, order(r));
  };

const byNameThenId = (row: Prisma.Sql) => orderBy(row, BY_NAME.keys);

/**
 * A connection of `typeName` rows meeting `where`, in `order` (BY_ID unless given), counted as
 * the field counts: `relation` (Pothos's exact count of a relation) or `bounded`
 * (src/schema/counts.ts).
 */
function rowsConnection(
  call: FieldCall,
  typeName: string,
  where: (row: Prisma.Sql) => Prisma.Sql,
  options: {
    count: 'relation' | 'bounded';
    order?: ListOrder;
    /** For a type that is not a node (its table is not in TABLES). */
    table?: Prisma.Sql;
  },
): Prisma.Sql {
  const r = call.compilation.alias();
  const table = options.table ?? TABLES[typeName]!;
  const from = Prisma.sql`${table} ${r} WHERE ${where(r)}`;
  const order = options.order ?? BY_ID;
  return connection(call, {
    nodeType: typeName,
    row: r,
    from,
    order: order.keys,
    cursor: idCursor(byId(r)),
    resume: order.resume(r, table),
    ...(options.count === 'relation' ? relationCount(from) : boundedCount(from, call.compilation.countExactLimit)),
  });
}

/** An organisation's or an official's participations in incidents, in id order, those in current views unless asked. */
const participationsOf =
  (column: 'organisationId' | 'officialId'): FieldTwin =>
  (call) =>
    rowsConnection(call, 'IncidentParticipant', (r) => Prisma.sql`${r}.${raw(`"${column}"`)} = ${call.row}.id AND ${visibleParticipantSql(r, view(call))}`, {
      count: 'relation',
      table: raw('"IncidentParticipant"'),
    });

/** Incidents meeting `where`, newest first, counted up to the bound: `incidents` and a place's `incidents`. */
function incidentsConnection(call: FieldCall, where: (row: Prisma.Sql) => Prisma.Sql): Prisma.Sql {
  const r = call.compilation.alias();
  const from = Prisma.sql`"Incident" ${r} WHERE ${where(r)}`;
  return connection(call, {
    nodeType: 'Incident',
    row: r,
    from,
    order: NEWEST_INCIDENTS_FIRST.keys,
    cursor: idCursor(byId(r)),
    resume: NEWEST_INCIDENTS_FIRST.resume(r, TABLES.Incident!),
    ...boundedCount(from, call.compilation.countExactLimit),
  });
}

/** A list of every row of `typeName`, as `Query.officials` and `Query.sources` give it. */
const everyRow =
  (typeName: string): FieldTwin =>
  (call) =>
    rowsConnection(call, typeName, () => Prisma.sql`TRUE`, { count: 'bounded' });

/** The node `id` names, of a type compiled reads cover, or null when no row has it. */
function nodeById(call: FieldCall, id: unknown): Prisma.Sql {
  if (typeof id !== 'string') throw new NotCompiled('no id');
  let decoded: { typename: string; id: string };
  try {
    decoded = parseGlobalID(id);
  } catch {
    throw new NotCompiled('an invalid global ID: execution words the error');
  }
  const table = TABLES[decoded.typename];
  if (!table) throw new NotCompiled(`node of type ${decoded.typename}`);
  const r = call.compilation.alias();
  return one(call, decoded.typename, r, Prisma.sql`${table} ${r} WHERE ${r}.id = ${Number(decoded.id)}::int`);
}

/** An official or an organisation speaking as itself: what the Claimant interface answers for it. */
const claimantFields = (kind: 'OFFICIAL' | 'ORGANISATION', name: (row: Prisma.Sql) => Prisma.Sql): Record<string, FieldTwin> => ({
  name: ({ row }) => name(row),
  claimantKind: () => raw(`'${kind}'`),
});

/** A statement's claimant (`claimantOf`, src/schema/claimant.ts): its official, its organisation, or the speaker it describes. */
const statementClaimant: FieldTwin = (call) =>
  oneOf(
    call,
    [
      {
        when: Prisma.sql`${call.row}."claimantKind" = 'OFFICIAL' AND ${call.row}."officialId" IS NOT NULL`,
        value: (c) => toOne('Official', 'officialId')(c),
      },
      {
        when: Prisma.sql`${call.row}."claimantKind" = 'ORGANISATION' AND ${call.row}."organisationId" IS NOT NULL`,
        value: (c) => toOne('Organisation', 'organisationId')(c),
      },
    ],
    (c) => c.compilation.object('UnnamedClaimant', c.row, c.selections),
  );

export const TWINS: Record<string, TypeTwin> = {
  // Every Node's `id`: the relay plugin's global ID of the row.
  Node: { fields: { id: (call) => globalId(call.parentType.name, call.row) } },
  Query: {
    fields: {
      node: (call) => nodeById(call, call.args.id),
      nodes: (call) => {
        return jsonList((call.args.ids as unknown[]).map((id) => nodeById(call, id)));
      },
      figures: (call) => {
        const filter = filterOf(() => readArgument(figureFilterInput, call.args.filter, 'filter'));
        const [f, s] = [call.compilation.alias(), call.compilation.alias()];
        const from = figureRows(filter, f, s);
        return connection(call, {
          nodeType: 'Figure',
          row: f,
          from,
          order: BY_ID.keys,
          cursor: idCursor(byId(f)),
          resume: BY_ID.resume(f, TABLES.Figure!),
          ...boundedCount(from, call.compilation.countExactLimit),
        });
      },
      search: searchConnection,
      officials: everyRow('Official'),
      sources: everyRow('Source'),
      places: (call) => rowsConnection(call, 'Place', (r) => kindsOnly(call.args.filter, r), { count: 'bounded' }),
      organisations: (call) => rowsConnection(call, 'Organisation', (r) => kindsOnly(call.args.filter, r), { count: 'bounded', order: BY_NAME }),
      statements: (call) =>
        rowsConnection(call, 'Statement', (r) => Prisma.join(statementConditions(call, r), ' AND '), { count: 'bounded', order: NEWEST_STATEMENTS_FIRST }),
      incidents: (call) => incidentsConnection(call, (r) => Prisma.join(incidentConditions(call, r), ' AND ')),
    },
  },
  Incident: {
    fields: {
      parent: toOne('Incident', 'parentId'),
      subIncidents: (call) => {
        const r = call.compilation.alias();
        return list(call, 'Incident', r, Prisma.sql`"Incident" ${r} WHERE ${r}."parentId" = ${call.row}.id`, byId(r));
      },
      places: throughLink('Place', 'IncidentPlace', 'incidentId', 'placeId'),
      participants: (call) => {
        const r = call.compilation.alias();
        return list(
          call,
          'IncidentParticipant',
          r,
          Prisma.sql`"IncidentParticipant" ${r} WHERE ${r}."incidentId" = ${call.row}.id AND ${visibleParticipantSql(r, view(call))}`,
          byId(r),
        );
      },
      statements: (call) => {
        const [link, r] = [call.compilation.alias(), call.compilation.alias()];
        const from = Prisma.sql`"StatementIncident" ${link} JOIN "Statement" ${r} ON ${r}.id = ${link}."statementId"
          WHERE ${link}."incidentId" = ${call.row}.id AND ${visibleStatementSql(r, view(call))}`;
        return connection(call, {
          nodeType: 'Statement',
          row: r,
          from,
          order: BY_ID.keys,
          // The link's key (statementId, incidentId): the statement's id and this incident's.
          cursor: compoundCursor([byId(r), Prisma.sql`${call.row}.id`]),
          resume: fromLink(r, raw('"StatementIncident"'), ['statementId', 'incidentId']),
          ...relationCount(from),
        });
      },
      figures: (call) => {
        const [r, statement] = [call.compilation.alias(), call.compilation.alias()];
        const from = Prisma.sql`"Figure" ${r} JOIN "Statement" ${statement} ON ${statement}.id = ${r}."statementId"
          WHERE ${r}."incidentId" = ${call.row}.id AND ${visibleFigureSql(r, statement, view(call))}`;
        return connection(call, {
          nodeType: 'Figure',
          row: r,
          from,
          order: BY_ID.keys,
          cursor: idCursor(byId(r)),
          resume: BY_ID.resume(r, TABLES.Figure!),
          ...relationCount(from),
        });
      },
    },
  },
  Statement: {
    fields: {
      claimant: statementClaimant,
      verifiedBy: toOne('Organisation', 'verifiedById'),
      figures: (call) => {
        const r = call.compilation.alias();
        return list(
          call,
          'Figure',
          r,
          Prisma.sql`"Figure" ${r} WHERE ${r}."statementId" = ${call.row}.id AND ${visibleFigureSql(r, call.row, view(call))}`,
          byId(r),
        );
      },
      sourceChain: (call) => {
        const r = call.compilation.alias();
        return list(call, 'SourceLink', r, Prisma.sql`"StatementSource" ${r} WHERE ${r}."statementId" = ${call.row}.id`, Prisma.sql`${r}.position`);
      },
      incidents: throughLink('Incident', 'StatementIncident', 'statementId', 'incidentId'),
    },
  },
  IncidentParticipant: {
    fields: {
      organisation: toOne('Organisation', 'organisationId'),
      official: toOne('Official', 'officialId'),
      incident: toOne('Incident', 'incidentId'),
      basis: toOne('Statement', 'basisId'),
    },
  },
  // A statement's unnamed speaker is built from the statement's own row.
  UnnamedClaimant: {
    fields: {
      name: ({ row }) => Prisma.sql`${row}."claimantDescription"`,
      description: ({ row }) => Prisma.sql`${row}."claimantDescription"`,
      claimantKind: ({ row }) => Prisma.sql`${row}."claimantKind"`,
      kind: ({ row }) => Prisma.sql`${row}."claimantKind"`,
    },
  },
  SourceLink: { fields: { source: toOne('Source', 'sourceId') } },
  Figure: {
    fields: {
      statement: toOne('Statement', 'statementId'),
      incident: toOne('Incident', 'incidentId'),
      place: toOne('Place', 'placeId'),
      countedOrganisation: toOne('Organisation', 'countedOrganisationId'),
      // How the number was said: built from the figure's own columns.
      quantity: (call) => call.compilation.object('Quantity', call.row, call.selections),
      breakdown: toMany('BreakdownItem', 'FigureBreakdownItem', 'figureId', (r) => Prisma.sql`${r}.position, ${r}.id`),
      // Its statement's claimant.
      claimant: (call) => {
        const s = call.compilation.alias();
        return Prisma.sql`(SELECT ${statementClaimant({ ...call, row: s })} FROM "Statement" ${s} WHERE ${s}.id = ${call.row}."statementId")`;
      },
      supersedes: toOne('Figure', 'supersedesId'),
      supersededBy: (call) => {
        const r = call.compilation.alias();
        return one(call, 'Figure', r, Prisma.sql`"Figure" ${r} WHERE ${r}."supersedesId" = ${call.row}.id`);
      },
      // The column the database keeps by the same rule (figure_stands, migration `…_figure_standing`).
      isCurrent: ({ row }) => Prisma.sql`${row}.standing`,
    },
  },
  Organisation: {
    fields: {
      ...claimantFields('ORGANISATION', (row) => Prisma.sql`${row}.name`),
      parent: toOne('Organisation', 'parentId'),
      country: toOne('Place', 'countryId'),
      children: toMany('Organisation', 'Organisation', 'parentId', byNameThenId),
      members: toMany('OfficialRole', 'OfficialRole', 'organisationId', byId),
      statements: (call) =>
        rowsConnection(call, 'Statement', (r) => Prisma.sql`${r}."organisationId" = ${call.row}.id AND ${visibleStatementSql(r, view(call))}`, {
          count: 'relation',
          order: NEWEST_STATEMENTS_FIRST,
        }),
      publishedSources: (call) => rowsConnection(call, 'Source', (r) => Prisma.sql`${r}."publisherId" = ${call.row}.id`, { count: 'relation' }),
      participations: participationsOf('organisationId'),
      countedInFigures: (call) =>
        rowsConnection(call, 'Figure', (r) => Prisma.sql`${r}."countedOrganisationId" = ${call.row}.id AND ${visibleFigure(call, r)}`, { count: 'relation' }),
    },
  },
  Official: {
    fields: {
      ...claimantFields('OFFICIAL', (row) => officialNameSql(row)),
      displayName: ({ row }) => officialNameSql(row),
      participations: participationsOf('officialId'),
      roles: toMany('OfficialRole', 'OfficialRole', 'officialId', (r) => Prisma.sql`${r}."startedOn" DESC NULLS LAST, ${r}.id`),
      statements: (call) =>
        rowsConnection(call, 'Statement', (r) => Prisma.sql`${r}."officialId" = ${call.row}.id AND ${visibleStatementSql(r, view(call))}`, {
          count: 'relation',
          order: NEWEST_STATEMENTS_FIRST,
        }),
    },
  },
  OfficialRole: {
    fields: {
      official: toOne('Official', 'officialId'),
      organisation: toOne('Organisation', 'organisationId'),
      place: toOne('Place', 'placeId'),
    },
  },
  Place: {
    fields: {
      parent: toOne('Place', 'parentId'),
      incidents: (call) => {
        const subPlaces = (call.args.includeSubPlaces as boolean | null | undefined) ?? true;
        return incidentsConnection(call, (r) => atPlaceSql(call, r, byId(call.row), { subPlaces }));
      },
      children: toMany('Place', 'Place', 'parentId', byNameThenId),
      organisations: toMany('Organisation', 'Organisation', 'countryId', byNameThenId),
      figures: (call) =>
        rowsConnection(call, 'Figure', (r) => Prisma.sql`${r}."placeId" = ${call.row}.id AND ${visibleFigure(call, r)}`, {
          count: 'relation',
          order: LATEST_RECORDED_FIRST,
        }),
    },
  },
  Source: {
    fields: {
      publisher: toOne('Organisation', 'publisherId'),
      statements: (call) =>
        rowsConnection(
          call,
          'Statement',
          (r) => {
            const link = call.compilation.alias();
            return Prisma.sql`EXISTS (SELECT 1 FROM "StatementSource" ${link} WHERE ${link}."statementId" = ${r}.id AND ${link}."sourceId" = ${call.row}.id)
              AND ${visibleStatementSql(r, view(call))}`;
          },
          { count: 'bounded' },
        ),
    },
  },
};
