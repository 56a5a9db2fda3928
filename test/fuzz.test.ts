// Fuzzing over HTTP: generated write inputs (odd numbers, dates, Unicode, wrong IDs) and random
// GraphQL documents. Whatever comes in, the gateway never answers 5xx, every refusal is a typed
// WriteError result or a GraphQL error with a clear message, a refused write leaves the database
// exactly as it was, and an accepted write reads back as sent.
import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isAbstractType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { schema } from '../src/schema/index.js';
import { bearer, databaseFingerprint, seedTargets, startGateway, type TestGateway } from './support/gateway.js';

// Bounded so the file runs well under a minute; the seed is printed on failure to replay it.
const RUNS = { writes: 50, entities: 40, documents: 150, strings: 150 };
const tried: Record<string, number> = {};
const count = (what: string) => (tried[what] = (tried[what] ?? 0) + 1);

let gateway: TestGateway;
let writer: Record<string, string>;
let incident: string;
let source: string;
let bla: string;

beforeAll(async () => {
  // No rate limit: with the default one, every case after the first few hundred was a 429 and
  // tested nothing.
  gateway = await startGateway({ rateLimit: { perKey: 1e9, perIp: 1e9, windowSeconds: 60, trustProxy: false } });
  writer = bearer((await createApiKey(gateway.db.prisma, 'Fuzzing newsroom', ['WRITE'])).secret);
  ({ incident, source, bla } = await seedTargets(gateway));
});
afterAll(async () => {
  const total = Object.values(tried).reduce((a, b) => a + b, 0);
  console.log(
    `fuzz inputs tried: ${JSON.stringify(tried)} (total ${total}); writes accepted ${acceptedWrites}, refused ${refusedWrites} (database unchanged after every refusal)`,
  );
  await gateway?.close();
});

interface Answer {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Answer['body'];
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, body: parsed };
}

/** Never a 5xx; every error says what went wrong (no masked "Unexpected error."). */
function expectClear(answer: Answer, sent = '') {
  expect(answer.status, JSON.stringify(answer.body).slice(0, 500)).toBeLessThan(500);
  for (const error of answer.body.errors ?? []) {
    expect(error.message.length).toBeGreaterThan(10);
    expect(error.message, `${JSON.stringify(error).slice(0, 500)} for ${sent.slice(0, 300)}`).not.toMatch(/Unexpected error/i);
  }
}

const WRITE_ERROR_SELECTION = `
  ... on InvalidInput { message issues { field rule } }
  ... on NotFound { message field entityType }
  ... on Conflict { message field currentVersion }`;
const WRITE_ERRORS = ['InvalidInput', 'NotFound', 'Conflict'];
let refusedWrites = 0;
let acceptedWrites = 0;

/**
 * Sends a mutation and checks the contract: accepted (returns the payload), or refused with a
 * typed result or a clear GraphQL error and the database unchanged (returns null).
 */
async function mutate(what: string, query: string, variables: Record<string, unknown>, field: string): Promise<any | null> {
  count(what);
  const before = await databaseFingerprint(gateway.db);
  const answer = await post({ query, variables }, writer);
  const result = answer.body.data?.[field];
  if (answer.body.errors || !result || WRITE_ERRORS.includes(result.__typename)) {
    refusedWrites++;
    expect(await databaseFingerprint(gateway.db), 'a refused write changed the database').toBe(before);
  }
  expectClear(answer, JSON.stringify(variables));
  if (answer.body.errors || !result) {
    expect(answer.body.errors?.length, 'a refusal without an error').toBeGreaterThan(0);
    return null;
  }
  if (WRITE_ERRORS.includes(result.__typename)) {
    expect(result.message.length).toBeGreaterThan(10);
    return null;
  }
  acceptedWrites++;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Generators

const ODD_PIECES = [
  'a',
  'Gwadar',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '٨٤',
  'گوادر', // Arabic-Indic digits, Urdu
  '\u200F',
  '\u200E',
  '\u202E',
  '\u2066', // RTL / LTR marks, right-to-left override, isolate
  '\u200D',
  '\u200B',
  '\uFEFF',
  '\u00AD', // zero-width joiner / space, BOM, soft hyphen
  '\u0000',
  '\u0007',
  '\u001B', // NUL, bell, escape
  '\uD800',
  '\uDFFF', // lone surrogates
  '👩‍👩‍👧',
  '🇵🇰',
  '🏳️‍🌈',
  'é',
  'e\u0301',
  'Å',
  'ﷺ',
  '𝟖𝟒',
  '"',
  "'",
  '\\',
  '<script>',
  '${x}',
  '%s',
  '\u2028',
];
/** Strings a journalist could never type but a client might still send. */
const oddString = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...ODD_PIECES), { minLength: 0, maxLength: 12 }).map((p) => p.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(100_000), '🇵🇰'.repeat(25_000), 'مقتول '.repeat(17_000), '') },
);
/** Strings without the characters PostgreSQL text cannot hold or JSON cannot carry as sent. */
const printable = fc
  .array(fc.constantFrom(...ODD_PIECES.filter((p) => !/[\u0000\uD800\uDFFF]/u.test(p))), { minLength: 1, maxLength: 10 })
  .map((p) => `x${p.join('')}`);

/** Numbers for Int fields: fine ones, negatives, beyond 2^31, floats, and things that are not numbers. */
const oddNumber = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 1_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -1_000_000, max: -1 }) },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 53, -(2 ** 31) - 1, 10_000_001, 1e308) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom('NaN', 'Infinity', '-0', '12', '1e3', '0x10', '', true, [], {}) },
  { weight: 1, arbitrary: fc.constant(null) },
);

const QUANTITY_KINDS = ['EXACT', 'AT_LEAST', 'AT_MOST', 'APPROXIMATE', 'RANGE', 'UNQUANTIFIED'];
const quantity = fc.record(
  {
    kind: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...QUANTITY_KINDS) }, { weight: 1, arbitrary: fc.constantFrom('SOME', 'exact', '', 3) }),
    low: oddNumber,
    high: oddNumber,
    phrase: fc.oneof({ weight: 3, arbitrary: printable }, { weight: 1, arbitrary: oddString }),
  },
  { requiredKeys: ['kind', 'phrase'] },
);

const oddDate = fc.oneof(
  { weight: 3, arbitrary: fc.date({ min: new Date('1900-01-01'), max: new Date('2026-01-31'), noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 1, arbitrary: fc.date({ min: new Date('2026-01-01'), max: new Date('2026-01-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '2026-02-30',
      '2026-13-01',
      '2026-00-10',
      '2026-01-31T25:00:00Z',
      '2026-01-31T14:27:00+14:00',
      '9999-12-31',
      '3026-01-01',
      '0000-01-01',
      '+275760-09-13T00:00:00Z',
      '1969-12-31T23:59:59.999Z',
      'yesterday',
      '',
      '31/01/2026',
      '2026-01-31T14:27:00',
      '2026-1-31',
      1738281600,
      null,
    ),
  },
);

/** A figure ID as a client might get it wrong: another type, not a number, out of range, not base64. */
function oddGlobalId(typename: string, real: () => string[]) {
  return fc.oneof(
    { weight: 3, arbitrary: fc.nat().map((n) => real()[n % real().length]) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        encodeGlobalID('Statement', 1),
        encodeGlobalID('Organisation', 1),
        encodeGlobalID(typename, 0),
        encodeGlobalID(typename, -5),
        encodeGlobalID(typename, 'abc'),
        encodeGlobalID(typename, '1.5'),
        encodeGlobalID(typename, 2 ** 31),
        encodeGlobalID(typename, '9007199254740993'),
        encodeGlobalID(typename, 999_999),
        encodeGlobalID(typename, ''),
        encodeGlobalID('', 1),
        'not-base64!',
        '',
        'RmlndXJl',
        42,
        true,
      ),
    },
    { weight: 1, arbitrary: oddString.filter((s) => s.length < 1000).map((s) => Buffer.from(`${typename}:${s}`).toString('base64')) },
  );
}

// ---------------------------------------------------------------------------------------------
// Writes

const RECORD = `mutation($input: RecordStatementInput!, $key: String) { recordStatement(input: $input, idempotencyKey: $key) {
  __typename
  ... on RecordPayload { replayed statement { id text madeAt claimantDescription }
    figures { id version quantity { kind low high phrase } breakdown { label count } } }
  ${WRITE_ERROR_SELECTION} } }`;

const REVISE = `mutation($input: ReviseFigureInput!) { reviseFigure(input: $input) {
  __typename
  ... on RecordPayload { replayed statement { id text madeAt } figures { id version supersedes { id } quantity { kind low high phrase } } }
  ${WRITE_ERROR_SELECTION} } }`;

const RETRACT = `mutation($figure: ID!, $reason: String!, $expectedVersion: Int) {
  retractFigure(figure: $figure, reason: $reason, expectedVersion: $expectedVersion) {
  __typename
  ... on RecordPayload { figures { id version retractedAt retractionReason } }
  ${WRITE_ERROR_SELECTION} } }`;

/** Figures written by this file, so revisions and retractions have live targets. */
const figureIds: string[] = [];
const knownFigures = () => (figureIds.length > 0 ? figureIds : [encodeGlobalID('Figure', 1)]);

/** Text reads back exactly as sent, less surrounding whitespace (the write rules trim). */
function sameText(stored: string, sent: string) {
  expect(stored).toBe(sent.trim());
}

describe('fuzzing the writes', () => {
  it('recordStatement: any input is accepted and reads back as sent, or refused cleanly with nothing written', async () => {
    let seq = 0;
    const statementInput = fc.record({
      text: fc.oneof({ weight: 2, arbitrary: printable }, { weight: 1, arbitrary: oddString }),
      description: fc.oneof({ weight: 3, arbitrary: fc.constant('a BLA spokesman') }, { weight: 1, arbitrary: oddString }),
      madeAt: oddDate,
      quantity,
      breakdownCount: oddNumber,
      claimantKind: fc.constantFrom('ORGANISATION', 'UNNAMED_GROUP', 'OFFICIAL', 'NOBODY'),
      organisation: oddGlobalId('Organisation', () => [bla]),
      incident: oddGlobalId('Incident', () => [incident]),
      figureCount: fc.integer({ min: 0, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(statementInput, async (s) => {
        const input = {
          externalId: `fuzz-${process.pid}-${seq++}`,
          kind: 'CASUALTY_REPORT',
          claimant: { kind: s.claimantKind, organisation: s.organisation, description: s.description },
          madeAt: s.madeAt,
          text: s.text,
          sources: [source],
          incidents: [s.incident],
          figures: Array.from({ length: s.figureCount }, () => ({
            metric: 'KILLED',
            victimCategory: 'SECURITY_PERSONNEL',
            side: 'STATE_FORCES',
            victimDescription: 'guards',
            incident: s.incident,
            quantity: s.quantity,
            breakdown: [{ label: 'police', count: s.breakdownCount }],
          })),
        };
        const result = await mutate('recordStatement', RECORD, { input }, 'recordStatement');
        if (!result) return;
        expect(result.__typename).toBe('RecordPayload');
        expect(result.replayed).toBe(false);
        sameText(result.statement.text, s.text);
        if (typeof s.madeAt === 'string') expect(new Date(result.statement.madeAt).getTime()).toBe(new Date(s.madeAt).getTime());
        expect(result.figures).toHaveLength(s.figureCount);
        for (const figure of result.figures) {
          sameText(figure.quantity.phrase, s.quantity.phrase);
          expect(figure.quantity).toMatchObject({ kind: s.quantity.kind, low: s.quantity.low ?? null, high: s.quantity.high ?? null });
          expect(figure.breakdown).toEqual([{ label: 'police', count: s.breakdownCount }]);
          figureIds.push(figure.id);
        }
      }),
      { numRuns: RUNS.writes },
    );
  });

  it('reviseFigure: a revision is accepted once per version, or refused cleanly with nothing written', async () => {
    const revision = fc.record({
      figure: oddGlobalId('Figure', knownFigures),
      versionOffset: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -3, max: 3 }), fc.constant(2 ** 31)),
      quantity,
      text: fc.oneof({ weight: 2, arbitrary: printable }, { weight: 1, arbitrary: oddString }),
      madeAt: oddDate,
    });
    await fc.assert(
      fc.asyncProperty(revision, async (r) => {
        const current = await currentVersion(r.figure);
        const expectedVersion = current === null ? 1 : current + r.versionOffset;
        const input = { figure: r.figure, expectedVersion, quantity: r.quantity, text: r.text, madeAt: r.madeAt };
        const result = await mutate('reviseFigure', REVISE, { input }, 'reviseFigure');
        if (!result) return;
        expect(r.versionOffset).toBe(0);
        sameText(result.statement.text, r.text);
        const [figure] = result.figures;
        expect(figure.supersedes.id).toBe(r.figure);
        sameText(figure.quantity.phrase, r.quantity.phrase);
        expect(figure.quantity).toMatchObject({ kind: r.quantity.kind, low: r.quantity.low ?? null, high: r.quantity.high ?? null });
        figureIds.push(figure.id);
      }),
      { numRuns: RUNS.writes },
    );
  });

  it('retractFigure: retracted once with the reason as sent, or refused cleanly with nothing written', async () => {
    const retraction = fc.record({
      figure: oddGlobalId('Figure', knownFigures),
      reason: fc.oneof({ weight: 2, arbitrary: printable }, { weight: 1, arbitrary: oddString }),
      expectedVersion: fc.oneof(fc.constant(undefined), fc.constant('current'), oddNumber),
    });
    await fc.assert(
      fc.asyncProperty(retraction, async (r) => {
        const current = await currentVersion(r.figure);
        const expectedVersion = r.expectedVersion === 'current' ? current : r.expectedVersion;
        const result = await mutate('retractFigure', RETRACT, { figure: r.figure, reason: r.reason, expectedVersion }, 'retractFigure');
        if (!result) return;
        const [figure] = result.figures;
        expect(figure.id).toBe(r.figure);
        sameText(figure.retractionReason, r.reason);
        expect(figure.version).toBe((current ?? 0) + 1);
      }),
      { numRuns: RUNS.writes },
    );
  });

  it('entity writes (organisations, places): accepted as sent, or refused cleanly with nothing written', async () => {
    const ORG = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) {
      __typename ... on OrganisationWritePayload { organisation { id name aliases } } ${WRITE_ERROR_SELECTION} } }`;
    const PLACE = `mutation($input: CreatePlaceInput!) { createPlace(input: $input) {
      __typename ... on PlaceWritePayload { place { id name latitude longitude } } ${WRITE_ERROR_SELECTION} } }`;
    const coordinate = fc.oneof(
      fc.double({ min: -200, max: 200, noNaN: true }),
      fc.constantFrom(90, -90, 180, -180, 1e308, -0, 'NaN', 'Infinity', '12.5', null),
    );
    let seq = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          name: fc.oneof(printable, oddString),
          aliases: fc.array(fc.oneof(printable, oddString), { maxLength: 4 }),
          kind: fc.constantFrom('ARMED_GROUP', 'GOVERNMENT', 'MEDIA', 'NOT_A_KIND'),
          placeKind: fc.constantFrom('CITY', 'DISTRICT', 'SITE', 'PLANET'),
          parent: oddGlobalId('Place', () => [encodeGlobalID('Place', 1)]),
          latitude: coordinate,
          longitude: coordinate,
        }),
        async (e) => {
          const org = await mutate(
            'createOrganisation',
            ORG,
            { input: { externalId: `fuzz-org-${process.pid}-${seq++}`, name: e.name, aliases: e.aliases, kind: e.kind } },
            'createOrganisation',
          );
          if (org) sameText(org.organisation.name, e.name);
          const input = { name: e.name, kind: e.placeKind, parent: e.parent, latitude: e.latitude, longitude: e.longitude };
          const place = await mutate('createPlace', PLACE, { input }, 'createPlace');
          if (place) {
            sameText(place.place.name, e.name);
            // As JSON carries them (JSON has no -0).
            expect(place.place.latitude).toBe(JSON.parse(JSON.stringify(e.latitude)));
            expect(place.place.longitude).toBe(JSON.parse(JSON.stringify(e.longitude)));
          }
        },
      ),
      { numRuns: RUNS.entities },
    );
  });
});

async function currentVersion(globalId: unknown): Promise<number | null> {
  if (typeof globalId !== 'string') return null;
  const decoded = /^Figure:(\d{1,9})$/.exec(Buffer.from(globalId, 'base64').toString());
  if (!decoded) return null;
  return (await gateway.db.prisma.figure.findUnique({ where: { id: Number(decoded[1]) } }))?.version ?? null;
}

// ---------------------------------------------------------------------------------------------
// Random GraphQL documents

/** A random value for an argument of `type`: mostly right, sometimes of the wrong kind. */
function argumentValue(type: GraphQLInputType, depth: number): fc.Arbitrary<string> {
  const named = getNullableType(type);
  if (isListType(named)) return fc.array(argumentValue(named.ofType, depth + 1), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`);
  const wrong = fc.constantFrom('null', '"?"', '-1', '2147483648', '1.5', 'true', '[]', '{}', 'NOT_AN_ENUM', '"\\u0000"');
  if (isEnumType(named)) return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...named.getValues().map((v) => v.name)) }, { weight: 1, arbitrary: wrong });
  if (isScalarType(named)) {
    const right: Record<string, fc.Arbitrary<string>> = {
      Int: fc.integer({ min: -5, max: 200 }).map(String),
      Float: fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .map((n) => (Number.isInteger(n) ? `${n}.0` : String(n)))
        .map((s) => (s.includes('e') ? '1.5' : s)),
      Boolean: fc.boolean().map(String),
      ID: fc.oneof(
        fc.constantFrom(encodeGlobalID('Incident', 1), encodeGlobalID('Place', 1), encodeGlobalID('Figure', 2)),
        fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
      ),
      DateTime: fc.constantFrom('"2026-01-31"', '"2026-01-31T14:27:00Z"', '"2026-02-30"', '"later"'),
    };
    return fc.oneof(
      { weight: 5, arbitrary: right[named.name] ?? fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => JSON.stringify(s)) },
      { weight: 1, arbitrary: wrong },
    );
  }
  if (isInputObjectType(named) && depth < 3) {
    const fields = Object.values(named.getFields());
    return fc
      .subarray(fields, { minLength: 0, maxLength: Math.min(3, fields.length) })
      .map((chosen) => [...new Set([...fields.filter((f) => isNonNullType(f.type)), ...chosen])])
      .chain((chosen) => fc.tuple(...chosen.map((f) => argumentValue(f.type, depth + 1).map((v) => `${f.name}: ${v}`))))
      .map((parts) => `{ ${parts.join(', ')} }`);
  }
  return wrong;
}

const ABSTRACT_SAMPLE = ['Organisation', 'Official', 'UnnamedClaimant', 'Incident', 'Statement', 'Figure', 'Place'];

/** A random selection set on `type`, a few fields wide and at most `depth` deep. */
function selection(type: GraphQLObjectType, depth: number): fc.Arbitrary<string> {
  const fields = Object.values(type.getFields()).filter((f) => !f.name.startsWith('__'));
  const leaf = fields.filter((f) => isLeaf(getNamedType(f.type)) && f.args.every((a) => !isNonNullType(a.type)));
  const fallback = leaf.length > 0 ? leaf[0].name : '__typename';
  if (depth <= 0)
    return leaf.length > 0
      ? fc
          .subarray(
            leaf.map((f) => f.name),
            { minLength: 1, maxLength: Math.min(4, leaf.length) },
          )
          .map((n) => n.join(' '))
      : fc.constant('__typename');
  return fc
    .subarray(fields, { minLength: 1, maxLength: Math.min(4, fields.length) })
    .chain((chosen) => fc.tuple(...chosen.map((f) => fieldSelection(f, depth))))
    .map((parts) => `${fallback} ${parts.join(' ')}`);
}

function fieldSelection(field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<string> {
  const args = fc
    .subarray([...field.args], { minLength: 0, maxLength: field.args.length })
    .map((chosen) => [...new Set([...field.args.filter((a) => isNonNullType(a.type)), ...chosen])])
    .chain((chosen) => fc.tuple(...chosen.map((a) => argumentValue(a.type, 0).map((v) => `${a.name}: ${v}`))))
    .map((parts) => (parts.length > 0 ? `(${parts.join(', ')})` : ''));
  const target = getNamedType(field.type);
  return fc.tuple(args, subSelection(target, depth - 1)).map(([a, s]) => `${field.name}${a}${s}`);
}

function subSelection(type: GraphQLNamedType, depth: number): fc.Arbitrary<string> {
  if (isLeaf(type)) return fc.constant('');
  if (isObjectType(type)) return selection(type, depth).map((s) => ` { ${s} }`);
  if (isAbstractType(type)) {
    const possible = schema.getPossibleTypes(type).filter((t) => ABSTRACT_SAMPLE.includes(t.name) || schema.getPossibleTypes(type).length < 6);
    return fc
      .subarray(possible.length > 0 ? possible : schema.getPossibleTypes(type).slice(0, 3), { minLength: 1, maxLength: 2 })
      .chain((chosen) => fc.tuple(...chosen.map((t) => selection(t, depth).map((s) => `... on ${t.name} { ${s} }`))))
      .map((parts) => ` { __typename ${parts.join(' ')} }`);
  }
  return fc.constant('');
}

const isLeaf = (type: GraphQLNamedType) => isScalarType(type) || isEnumType(type);

describe('fuzzing GraphQL documents', () => {
  it('random queries built from the schema never crash the gateway or answer 5xx', async () => {
    const document = fc
      .integer({ min: 1, max: 3 })
      .chain((depth) => selection(schema.getQueryType()!, depth))
      .map((s) => `{ ${s} }`);
    await fc.assert(
      fc.asyncProperty(document, async (query) => {
        count('schema documents');
        const answer = await post({ query });
        expectClear(answer, query);
        expect(answer.body.data !== undefined || (answer.body.errors?.length ?? 0) > 0).toBe(true);
      }),
      { numRuns: RUNS.documents },
    );
  });

  it('random bytes, tokens and broken requests are refused as bad requests, never a crash', async () => {
    const tokens = fc.constantFrom(
      '{',
      '}',
      '(',
      ')',
      '[',
      ']',
      ':',
      '...',
      'on',
      'query',
      'mutation',
      'subscription',
      'fragment',
      'F',
      '$v',
      '@skip(if: true)',
      'incidents',
      'figures',
      'node',
      'search',
      'edges',
      'id',
      '__schema',
      '__type(name: "Figure")',
      'types',
      'name',
      'first: 5',
      '"x"',
      '"""block"""',
      '#',
      '\n',
      ',',
      '1e999',
      '-',
      '=',
      '|',
      '&',
      '\u0000',
      '\uD800',
      '🇵🇰',
      'recordStatement',
    );
    const body = fc.oneof(
      { weight: 4, arbitrary: fc.array(tokens, { maxLength: 40 }).map((t) => ({ query: t.join(' ') })) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((query) => ({ query })) },
      { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }, // the raw body, usually not JSON
      {
        weight: 2,
        arbitrary: fc.record(
          {
            query: fc.oneof(fc.constant('query($id: ID!) { node(id: $id) { id } }'), fc.constant('{ __typename }'), fc.constant(null), fc.integer()),
            variables: fc.oneof(fc.constant(undefined), fc.constant('not an object'), fc.jsonValue(), fc.record({ id: fc.jsonValue() })),
            operationName: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 5 }), fc.integer()),
            extensions: fc.oneof(fc.constant(undefined), fc.jsonValue()),
          },
          { requiredKeys: [] },
        ),
      },
      {
        weight: 1,
        arbitrary: fc
          .integer({ min: 50, max: 400 })
          .map((n) => ({ query: `{ ${'incidents { edges { node { parent { '.repeat(n % 40)} id ${'} } } }'.repeat(n % 40)} }` })),
      },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 1, max: 2_000 }).map((n) => ({ query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }` })),
      },
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        count('broken documents');
        const answer = await post(b, writer);
        expectClear(answer, JSON.stringify(b));
      }),
      { numRuns: RUNS.strings },
    );
  });
});

describe('inputs the fuzzing once caught slipping through to the database', () => {
  const record = (text: string) => ({
    kind: 'CASUALTY_REPORT',
    claimant: { kind: 'UNNAMED_GROUP', description: 'police' },
    text,
    sources: [source],
    incidents: [incident],
  });
  /** Refused before the database: a typed WriteError or a clear GraphQL error, and nothing written. */
  const clearRefusal = async (query: string, variables: Record<string, unknown>, field: string) => {
    const before = await databaseFingerprint(gateway.db);
    const answer = await post({ query, variables }, writer);
    expect(await databaseFingerprint(gateway.db)).toBe(before);
    const error = answer.body.errors?.[0]?.message;
    if (error) expect(error).not.toMatch(/Unexpected error/);
    else expect(WRITE_ERRORS).toContain(answer.body.data?.[field]?.__typename);
  };
  it('NUL in statement text', () => clearRefusal(RECORD, { input: record('five\u0000killed') }, 'recordStatement'));
  it('lone surrogate in statement text', () => clearRefusal(RECORD, { input: record('five \ud800 killed') }, 'recordStatement'));
  it('lone surrogate in an idempotency key', () => clearRefusal(RECORD, { input: record('five killed'), key: 'retry-\ud800' }, 'recordStatement'));
  it('lone surrogate in a retraction reason', () =>
    clearRefusal(RETRACT, { figure: encodeGlobalID('Figure', 1), reason: 'counted \udfff twice' }, 'retractFigure'));
  it('NUL in an external ID looked up (found by the fuzzing in CI)', async () => {
    const answer = await post({ query: '{ byExternalId(externalId: "\\u0000", recordType: Figure) { id } }' }, writer);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^Argument externalId: must be valid text/),
      extensions: { code: 'BAD_USER_INPUT', argument: 'externalId', issues: [{ code: 'INVALID_TEXT' }] },
    });
  });
  it('NUL in a search, sent as a variable, names the argument', async () => {
    const answer = await post({ query: 'query ($q: String!) { search(query: $q) { totalCount } }', variables: { q: 'five\u0000' } }, writer);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'query' });
  });
  it('figure ID beyond 2^31-1', () => clearRefusal(RETRACT, { figure: encodeGlobalID('Figure', 2 ** 31), reason: 'wrong' }, 'retractFigure'));
});
