// Compiled reads (src/reads/) answer exactly what execution answers: the same documents sent to
// a gateway that compiles and to one that executes field by field, over the same database.
import fc from 'fast-check';
import {
  getNamedType,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  isEnumType,
  isInputObjectType,
  type GraphQLObjectType,
  type GraphQLSchema,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TWINS } from '../src/reads/twins.js';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { createApiKey } from '../src/auth/keys.js';
import { createGateway } from '../src/http/gateway.js';
import { nestedPage } from '../scripts/bench/operations.js';
import { bearer, NESTED_PAGE, type TestGateway } from './support/gateway.js';
import { type Comparison, startComparison } from './support/compiled.js';

let comparison: Comparison;
let gateway: TestGateway;
let executed: Comparison['executed'];
const both: Comparison['both'] = (query, variables) => comparison.both(query, variables);

beforeAll(async () => {
  comparison = await startComparison();
  ({ gateway, executed } = comparison);
}, 120_000);
afterAll(() => comparison?.close());

// Falling back hides a broken twin from every comparison: none may have fallen back.
afterAll(() => expect(comparison.logged).toEqual([]));

describe('compiled reads', () => {
  it('answer the nested page as execution does, in one SQL statement', async () => {
    for (const first of [0, 2, 30]) {
      const { compiled, reference } = await both(NESTED_PAGE, { first });
      expect(reference.errors).toBeUndefined();
      expect(compiled.data).toEqual(reference.data);
      expect(JSON.stringify(compiled.data)).toBe(JSON.stringify(reference.data));
      expect(compiled.extensions?.sqlStatements).toBe(1);
    }
    const { compiled, reference } = await both(nestedPage(50));
    expect(JSON.stringify(compiled.data)).toBe(JSON.stringify(reference.data));
    expect(compiled.extensions?.sqlStatements).toBe(1);
  });

  it('send the text PostgreSQL wrote when no plugin adds to the answer', async () => {
    // Without the statement count in `extensions`, the answer goes out as the database wrote it.
    const unreported = createGateway(gateway.db, { ...gateway.config, reportSqlStatements: false });
    const post = (target: typeof executed) =>
      target.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: nestedPage(50) }),
      });
    const [raw, reference] = await Promise.all([post(unreported), post(executed)]);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe(reference.headers.get('content-type'));
    const text = await raw.text();
    expect(text).toMatch(/^\{"data":\{"incidents" : /); // PostgreSQL's spacing: not parsed and written again
    expect(JSON.stringify(JSON.parse(text))).toBe(JSON.stringify({ data: ((await reference.json()) as { data: unknown }).data }));
    await unreported.dispose();
  });

  it('answer through the response cache, which rewrites the answer it keeps', async () => {
    const cached = createGateway(gateway.db, {
      ...gateway.config,
      reportSqlStatements: false,
      responseCache: { ...gateway.config.responseCache, ttlMs: 60_000 },
    });
    const post = () =>
      cached.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: nestedPage(10) }),
      });
    const reference = await (
      await executed.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: nestedPage(10) }),
      })
    ).json();
    for (const hit of [false, true]) {
      const answer = await (await post()).json();
      expect(answer.errors).toBeUndefined();
      expect(answer.extensions.responseCache.hit).toBe(hit);
      expect(JSON.stringify(answer.data)).toBe(JSON.stringify(reference.data));
    }
    await cached.dispose();
  });
});

describe('compiled filtered lists', () => {
  it('list incidents and statements by each condition written in SQL as execution does', async () => {
    const some = async (list: string) =>
      (await gateway.data(`{ ${list}(first: 40) { edges { node { id } } } }`))[list].edges.map((edge: any) => edge.node.id) as string[];
    const [places, organisations, officials, incidents] = await Promise.all(['places', 'organisations', 'officials', 'incidents'].map(some));
    // A place with sub-places, an organisation and an official with statements: filters that select something.
    const parentPlace = (await gateway.db.prisma.place.findFirstOrThrow({ where: { children: { some: {} } } })).id;
    const speaker = await gateway.db.prisma.statement.findFirstOrThrow({ where: { organisationId: { not: null } } });
    const person = await gateway.db.prisma.statement.findFirstOrThrow({ where: { officialId: { not: null } } });
    const parentIncident = await gateway.db.prisma.incident.findFirst({ where: { children: { some: {} } } });
    const id = (type: string, n: number) => Buffer.from(`${type}:${n}`).toString('base64');
    const cases: [string, Record<string, unknown>][] = [
      ['incidents', { topLevelOnly: true }],
      ['incidents', { kinds: ['ARMED_ATTACK', 'BOMBING'] }],
      ['incidents', { place: id('Place', parentPlace) }],
      ['incidents', { organisation: id('Organisation', speaker.organisationId!) }],
      ['incidents', { official: id('Official', person.officialId!), topLevelOnly: false }],
      ['incidents', { place: places[1], organisation: organisations[0], official: officials[0] }],
      ['statements', { organisation: id('Organisation', speaker.organisationId!), includeRetracted: true }],
      ['statements', { official: id('Official', person.officialId!) }],
      ['statements', { place: id('Place', parentPlace), claimantKinds: ['ORGANISATION'] }],
      ['statements', { incident: parentIncident ? id('Incident', parentIncident.id) : incidents[0], verification: ['UNVERIFIED', 'DISPUTED'] }],
      ['statements', { kinds: [] }],
    ];
    let nonEmpty = 0;
    for (const [list, filter] of cases) {
      const query = `query($filter: ${list === 'incidents' ? 'IncidentFilter' : 'StatementFilter'}) {
        ${list}(first: 25, filter: $filter) { totalCount totalCountKind pageInfo { hasNextPage endCursor } edges { node { id } } } }`;
      const { compiled, reference } = await both(query, { filter });
      expect(reference.errors, JSON.stringify(filter)).toBeUndefined();
      expect(JSON.stringify(compiled.data), `${list} ${JSON.stringify(filter)}`).toBe(JSON.stringify(reference.data));
      expect(compiled.extensions?.sqlStatements).toBe(1);
      if (compiled.data[list].totalCount > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(6);
  });
});

describe('compiled search', () => {
  it('pages through the hits as execution does, with the same cursors', async () => {
    const SEARCH = `query($after: String) { search(query: "police", first: 4, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor rank snippet node { __typename ... on Statement { id text } ... on Organisation { id name } } } } }`;
    let after: string | null = null;
    let pages = 0;
    do {
      const { compiled, reference } = await both(SEARCH, { after });
      expect(reference.errors).toBeUndefined();
      expect(JSON.stringify(compiled.data)).toBe(JSON.stringify(reference.data));
      expect(compiled.extensions?.sqlStatements).toBe(1);
      after = compiled.data.search.pageInfo.hasNextPage ? compiled.data.search.pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 6);
    expect(pages).toBeGreaterThan(1);
  });
});

describe("a place's figures", () => {
  it("leave out a retracted statement's figures unless asked for, compiled or executed", async () => {
    const figure = await gateway.db.prisma.figure.findFirstOrThrow({ where: { placeId: { not: null }, statement: { retractedAt: null } } });
    await gateway.db.prisma.statement.update({ where: { id: figure.statementId }, data: { retractedAt: new Date() } });
    const PLACE = `query($id: ID!, $all: Boolean) { node(id: $id) { ... on Place { figures(first: 100, includeRetracted: $all) { totalCount edges { node { id } } } } } }`;
    const id = Buffer.from(`Place:${figure.placeId}`).toString('base64');
    const figureId = Buffer.from(`Figure:${figure.id}`).toString('base64');
    for (const all of [false, true]) {
      const { compiled, reference } = await both(PLACE, { id, all });
      expect(JSON.stringify(compiled.data)).toBe(JSON.stringify(reference.data));
      expect(compiled.extensions?.sqlStatements).toBe(1);
      const listed = compiled.data.node.figures.edges.map((edge: any) => edge.node.id);
      expect(listed.includes(figureId)).toBe(all);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Random documents over the fields that have twins (and a few that do not, which execute).

const schema = () => executed.getEnveloped().schema as GraphQLSchema;

/** Fields a random selection on `type` may pick: plain columns, twinned fields, ids. */
function pickable(type: GraphQLObjectType | GraphQLInterfaceType): string[] {
  return Object.values(type.getFields())
    .filter((field) => {
      // Interfaces, and the connection types the twins' connections build whole.
      if (isInterfaceType(type) || 'edges' in type.getFields() || 'cursor' in type.getFields() || type.name === 'PageInfo') return true;
      const twinned = TWINS[type.name]?.fields?.[field.name] ?? (field.name === 'id' ? TWINS.Node!.fields!.id : undefined);
      const exposed = (field.extensions as { pothosExposedField?: string } | null)?.pothosExposedField;
      return twinned !== undefined || (exposed !== undefined && field.args.length === 0);
    })
    .map((field) => field.name);
}

type Gen = fc.Arbitrary<string>;
const memo = new Map<string, Gen>();

/** A selection set on `typeName`, `depth` levels deep at most. */
function selectionOn(typeName: string, depth: number): Gen {
  const key = `${typeName}:${depth}`;
  const known = memo.get(key);
  if (known) return known;
  const type = schema().getType(typeName);
  if (!type || !(isObjectType(type) || isInterfaceType(type))) throw new Error(typeName);
  const names = pickable(type);
  const fieldGen = (name: string): Gen => {
    const field = type.getFields()[name]!;
    const named = getNamedType(field.type);
    const args: fc.Arbitrary<string>[] = field.args.map((arg) => {
      // A page from the start, or one read backwards up to the end.
      if (arg.name === 'first')
        return fc.option(
          fc.tuple(fc.constantFrom('first', 'last'), fc.integer({ min: 0, max: 25 })).map(([end, n]) => `${end}: ${n}`),
          { nil: '' },
        );
      if (arg.name === 'includeRetracted') return fc.constantFrom('', 'includeRetracted: true', 'includeRetracted: false');
      return fc.constant('');
    });
    const argText = (fc.tuple(...args) as fc.Arbitrary<string[]>).map((parts) => {
      const given = parts.filter(Boolean);
      return given.length ? `(${given.join(', ')})` : '';
    });
    // Per field, so two keys alike are one field selected twice (merged, or refused as a conflict).
    const alias = fc.option(fc.constantFrom(`${name}A`, `${name}B`), { nil: null });
    if (!(isObjectType(named) || isInterfaceType(named) || isUnionType(named))) {
      return fc.tuple(alias, argText).map(([a, text]) => `${a ? `${a}: ` : ''}${name}${text}`);
    }
    if (depth === 0) return fc.constant('__typename');
    let inner: Gen;
    if (isObjectType(named)) inner = selectionOn(named.name, depth - 1);
    else {
      const concrete = schema()
        .getPossibleTypes(named)
        .filter((t) => TWINS[t.name] || pickable(t).length > 0);
      inner = fc
        .tuple(
          isInterfaceType(named) ? selectionOn(named.name, depth - 1) : fc.constant('__typename'),
          fc
            .subarray(concrete)
            .chain(
              (types): fc.Arbitrary<string[]> =>
                types.length ? fc.tuple(...types.map((t) => selectionOn(t.name, depth - 1).map((s) => `... on ${t.name} { ${s} }`))) : fc.constant([]),
            ),
        )
        .map(([common, fragments]) => `${common} ${fragments.join(' ')}`);
    }
    return fc.tuple(alias, argText, inner).map(([a, text, sub]) => `${a ? `${a}: ` : ''}${name}${text} { ${sub} }`);
  };
  const gen = fc
    .subarray(names, { minLength: 1, maxLength: Math.min(names.length, 6) })
    .chain((picked) => fc.tuple(...picked.map(fieldGen)))
    .map((fields) => `__typename ${fields.join(' ')}`);
  memo.set(key, gen);
  return gen;
}

/**
 * A random value of a list's filter input (or none): enum lists, booleans and references to the
 * nodes in `ids` of the type the field names; date ranges and moments are left out.
 */
function filterOf(type: GraphQLInputType | undefined, ids: string[]): fc.Arbitrary<string | null> {
  const input = type && getNamedType(type);
  if (!input || !isInputObjectType(input)) return fc.constant(null);
  const conditions = Object.values(input.getFields()).flatMap((field): fc.Arbitrary<string | null>[] => {
    const named = getNamedType(field.type);
    const of = (value: fc.Arbitrary<string>) =>
      fc.option(
        value.map((text) => `${field.name}: ${text}`),
        { nil: null, freq: 2 },
      );
    if (isEnumType(named)) return [of(fc.subarray(named.getValues().map((v) => v.name)).map((values) => `[${values.join(', ')}]`))];
    if (named.name === 'Boolean') return [of(fc.boolean().map(String))];
    if (named.name === 'ID') {
      const typeName = field.name === 'within' ? 'Place' : field.name[0]!.toUpperCase() + field.name.slice(1);
      const candidates = ids.filter((id) => decodeGlobalID(id).typename === typeName);
      return candidates.length ? [of(fc.constantFrom(...candidates).map((id) => `"${id}"`))] : [];
    }
    return [];
  });
  return fc.option(
    fc.tuple(...conditions).map((given) => `{ ${given.filter(Boolean).join(', ')} }`),
    { nil: null },
  );
}

// ---------------------------------------------------------------------------------------------
// Every twin, each on its own: random documents pick a field too rarely to catch a broken one.

/** Scalar fields a minimal selection on `type` reads: columns and twinned scalars, no arguments needed. */
function scalarsOf(type: GraphQLObjectType): string[] {
  return pickable(type).filter((name) => {
    const field = type.getFields()[name]!;
    const named = getNamedType(field.type);
    return !(isObjectType(named) || isInterfaceType(named) || isUnionType(named)) && field.args.every((arg) => !isNonNullType(arg.type));
  });
}

/** A small selection on a field's type that reads every scalar one level down, and a connection's page. */
function minimalSelection(typeName: string): string {
  const type = schema().getType(typeName)!;
  if (isUnionType(type) || isInterfaceType(type)) {
    const fragments = schema()
      .getPossibleTypes(type)
      // Aliased by type: members may give one name two types (Organisation.kind, UnnamedClaimant.kind).
      .map(
        (t) =>
          `... on ${t.name} { __typename ${scalarsOf(t)
            .map((name) => `${t.name}_${name}: ${name}`)
            .join(' ')} }`,
      );
    return `__typename ${fragments.join(' ')}`;
  }
  if (!isObjectType(type)) return '';
  const fields = type.getFields();
  if (fields.edges) {
    const node = getNamedType(fields.edges.type) as GraphQLObjectType;
    const nodeType = getNamedType(node.getFields().node!.type).name;
    return `${fields.totalCount ? 'totalCount ' : ''}pageInfo { hasNextPage endCursor } edges { cursor node { ${minimalSelection(nodeType)} } }`;
  }
  return ['__typename', ...scalarsOf(type)].join(' ');
}

/** `name` with the field's selection, once with its boolean arguments left out and once per value. */
function fieldVariants(type: GraphQLObjectType, name: string): string[] {
  const field = type.getFields()[name]!;
  const named = getNamedType(field.type);
  const selection = isObjectType(named) || isInterfaceType(named) || isUnionType(named) ? ` { ${minimalSelection(named.name)} }` : '';
  const flags = field.args.filter((arg) => getNamedType(arg.type).name === 'Boolean');
  return [name, ...flags.flatMap((arg) => [`${name}(${arg.name}: true)`, `${name}(${arg.name}: false)`])].map((call) => `${call}${selection}`);
}

describe('every twin', () => {
  it('answers as execution does, in one SQL statement, field by field', async () => {
    // A participation resting on a retracted statement (a withdrawn responsibility claim), so that
    // the participation lists have one to leave out unless asked.
    const participation = await gateway.db.prisma.incidentParticipant.findFirstOrThrow({ where: { basisId: { not: null } } });
    const writer = bearer((await createApiKey(gateway.db.prisma, 'Twin fixtures', ['WRITE'])).secret);
    const retracted = await gateway.graphql(
      `mutation($s: ID!) { retractStatement(statement: $s, reason: "claim withdrawn") { __typename } }`,
      { s: encodeGlobalID('Statement', participation.basisId!) },
      writer,
    );
    expect(retracted.errors).toBeUndefined();
    const lists = {
      Incident: 'incidents',
      Statement: 'statements',
      Figure: 'figures',
      Organisation: 'organisations',
      Official: 'officials',
      Place: 'places',
      Source: 'sources',
    };
    const listed = await gateway.data(
      `{ ${Object.values(lists)
        .map((list) => `${list}(first: 100) { edges { node { id } } }`)
        .join(' ')} }`,
    );
    const idsOf = (typeName: keyof typeof lists) => listed[lists[typeName]].edges.map((edge: any) => edge.node.id) as string[];
    // Objects that are not nodes, reached from the node field that holds them.
    const holders: Record<string, { on: keyof typeof lists; field: string }> = {
      SourceLink: { on: 'Statement', field: 'sourceChain' },
      UnnamedClaimant: { on: 'Statement', field: 'claimant' },
      OfficialRole: { on: 'Official', field: 'roles' },
      IncidentParticipant: { on: 'Incident', field: 'participants' },
    };
    const documents: string[] = [];
    for (const [typeName, twin] of Object.entries(TWINS)) {
      if (typeName === 'Query' || typeName === 'Node') continue; // the roots: the tests above and the random documents
      const type = schema().getType(typeName) as GraphQLObjectType;
      for (const name of Object.keys(twin.fields ?? {})) {
        for (const selected of fieldVariants(type, name)) {
          const holder = holders[typeName];
          const nodeType = (holder?.on ?? typeName) as keyof typeof lists;
          const inner = holder ? `${holder.field} { ... on ${typeName} { ${selected} } }` : selected;
          documents.push(`{ nodes(ids: ${JSON.stringify(idsOf(nodeType))}) { ... on ${nodeType} { id ${inner} } } }`);
        }
      }
    }
    expect(documents.length).toBeGreaterThan(40);
    for (const query of documents) {
      const { compiled, reference } = await both(query);
      expect(JSON.stringify(reference.errors), query).toBeUndefined();
      expect(compiled.extensions?.sqlStatements, query).toBe(1);
      expect(JSON.stringify(compiled.data), query).toBe(JSON.stringify(reference.data));
    }
  }, 120_000);
});

describe('compiled reads on random documents', () => {
  it('answer what execution answers, byte for byte', async () => {
    const listed = await gateway.data(`{
      incidents(first: 5) { edges { node { id statements(first: 3) { edges { node { id figures { id } } } } } } }
      ${['organisations', 'officials', 'places', 'sources'].map((list) => `${list}(first: 4) { edges { node { id } } }`).join(' ')}
    }`);
    const ids: string[] = [
      ...listed.incidents.edges.flatMap((edge: any) => [
        edge.node.id,
        ...edge.node.statements.edges.flatMap((s: any) => [s.node.id, ...s.node.figures.map((f: any) => f.id)]),
      ]),
      ...['organisations', 'officials', 'places', 'sources'].flatMap((list) => listed[list].edges.map((edge: any) => edge.node.id)),
    ];
    const queryFields = schema().getQueryType()!.getFields();
    const lists = ['incidents', 'statements', 'figures', 'organisations', 'officials', 'places', 'sources'];
    const roots = fc.oneof(
      ...lists.map((list) =>
        fc
          .tuple(
            fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
            // From the start or, read backwards, up to the end.
            fc.constantFrom('first', 'last'),
            filterOf(queryFields[list]!.args.find((arg) => arg.name === 'filter')?.type, ids),
            selectionOn(getNamedType(queryFields[list]!.type).name, 4),
          )
          .map(([size, end, filter, sel]) => {
            const args = [size === null ? '' : `${end}: ${size}`, filter ? `filter: ${filter}` : ''].filter(Boolean);
            return `{ ${list}${args.length ? `(${args.join(', ')})` : ''} { ${sel} } }`;
          }),
      ),
      fc
        .tuple(
          fc.constantFrom('police', 'attack killed', 'bal', 'quetta', 'liberation army', 'zzzz'),
          fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
          fc.option(fc.subarray(['STATEMENT', 'INCIDENT', 'ORGANISATION', 'OFFICIAL', 'PLACE']), { nil: null }),
          fc.boolean(),
          selectionOn('SearchConnection', 3),
        )
        .map(
          ([words, first, kinds, includeRetracted, sel]) =>
            `{ search(query: "${words}"${first === null ? '' : `, first: ${first}`}${kinds ? `, kinds: [${kinds.join(', ')}]` : ''}${includeRetracted ? ', includeRetracted: true' : ''}) { ${sel} } }`,
        ),
      fc.tuple(fc.constantFrom(...ids), selectionOn('Node', 3)).map(([id, sel]) => `{ node(id: "${id}") { ${sel} } }`),
      fc.tuple(fc.subarray(ids, { maxLength: 4 }), selectionOn('Node', 3)).map(([some, sel]) => `{ nodes(ids: ${JSON.stringify(some)}) { ${sel} } }`),
    );
    let compiledCount = 0;
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(roots, async (query) => {
        const { compiled, reference } = await both(query);
        // A document validation refuses is refused alike; the rest must answer without errors.
        expect(JSON.stringify(compiled.errors), query).toBe(JSON.stringify(reference.errors));
        if (reference.errors) return;
        expect(JSON.stringify(compiled.data), query).toBe(JSON.stringify(reference.data));
        answered++;
        if (compiled.extensions?.sqlStatements === 1) compiledCount++;
      }),
      { numRuns: Number(process.env.COMPILED_READS_RUNS ?? 150) },
    );
    // The property must test the compiler, not only the fallback.
    expect(answered).toBeGreaterThan(60);
    expect(compiledCount / answered).toBeGreaterThan(0.5);
  }, 120_000);
});
