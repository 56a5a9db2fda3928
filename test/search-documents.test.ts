// The stored search documents (migration `…_search_documents`): each row's column is its table's
// search function of the row, and a write changes what search finds at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { Prisma } from '../src/generated/prisma/client.js';
import { eitherSide } from '../src/search/index-side.js';
import { indexQuery, searchWords, tsqueryTexts } from '../src/search/search.js';
import { bearer, startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
let writer: string;
beforeAll(async () => {
  gateway = await startGateway();
  writer = (await createApiKey(gateway.db.prisma, 'search writer', ['WRITE'])).secret;
});
afterAll(() => gateway.close());

/** Each table's stored document and the function it must equal (the migrations' rule, restated). */
const DOCUMENTS = {
  Statement: 'search_statement("text", "claimantDescription", "verificationNote")',
  Incident: 'search_incident("title", "description")',
  Organisation: 'search_organisation("name", "aliases", "description", "notes")',
  Official: 'search_official("name", "aliases", "description")',
  OfficialRole: 'search_official_role("title")',
  Place: 'search_place("name", "aliases", "description")',
};

async function send(query: string, variables: Record<string, unknown>) {
  const response = await gateway.graphql(query, variables, bearer(writer));
  expect(response.errors).toBeUndefined();
  return response.data;
}

/** What `search` finds for `query`, as "Type: name". */
async function found(query: string): Promise<string[]> {
  const response = await gateway.graphql(
    `query($q: String!) { search(query: $q, first: 100) { totalCount edges { node { __typename
      ... on Organisation { name } ... on Official { displayName } ... on Place { name } } } } }`,
    { q: query },
  );
  expect(response.errors).toBeUndefined();
  const { totalCount, edges } = response.data.search;
  expect(edges).toHaveLength(totalCount);
  return edges.map(({ node }: { node: Record<string, string> }) => `${node.__typename}: ${node.name ?? node.displayName}`);
}

describe('stored search documents', () => {
  it('every row holds its function of the row (a replaced function must be followed by recomputing the column)', async () => {
    for (const [table, document] of Object.entries(DOCUMENTS)) {
      const [counts] = await gateway.db.prisma.$queryRaw<{ rows: number; drifted: number }[]>(Prisma.sql`
        SELECT count(*)::int AS rows,
               count(*) FILTER (WHERE "searchDocument" IS DISTINCT FROM ${Prisma.raw(document)})::int AS drifted
        FROM ${Prisma.raw(`"${table}"`)}`);
      expect(counts!.rows, table).toBeGreaterThan(0);
      expect(counts, table).toEqual({ rows: counts!.rows, drifted: 0 });
    }
  });

  it('a write changes what search finds: renames, aliases, descriptions and role titles', async () => {
    const created = await send(
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) {
        ... on OrganisationWritePayload { organisation { id updatedAt } } } }`,
      { input: { name: 'Zorblax Raiders', aliases: ['ZRX'], kind: 'ARMED_GROUP' } },
    );
    const organisation = created.createOrganisation.organisation;
    expect(await found('zorblax')).toEqual(['Organisation: Zorblax Raiders']);
    expect(await found('zrx')).toEqual(['Organisation: Zorblax Raiders']);

    await send(`mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) { ... on OrganisationWritePayload { organisation { id } } } }`, {
      input: {
        organisation: organisation.id,
        expectedUpdatedAt: organisation.updatedAt,
        name: 'Quillon Raiders',
        aliases: [],
        description: 'Formerly Vexmoor',
      },
    });
    expect(await found('zorblax')).toEqual([]);
    expect(await found('zrx')).toEqual([]);
    expect(await found('quillon')).toEqual(['Organisation: Quillon Raiders']);
    expect(await found('vexmoor')).toEqual(['Organisation: Quillon Raiders']);

    const official = (
      await send(`mutation($input: CreateOfficialInput!) { createOfficial(input: $input) { ... on OfficialWritePayload { official { id updatedAt } } } }`, {
        input: { name: 'Parvez Oskani', roles: [{ title: 'harbourmaster of Ormara' }] },
      })
    ).createOfficial.official;
    expect(await found('harbourmaster ormara')).toEqual(['Official: Parvez Oskani']);

    await send(`mutation($input: UpdateOfficialInput!) { updateOfficial(input: $input) { ... on OfficialWritePayload { official { id } } } }`, {
      input: { official: official.id, expectedUpdatedAt: official.updatedAt, roles: [{ title: 'lighthouse keeper' }] },
    });
    expect(await found('harbourmaster')).toEqual([]);
    expect(await found('lighthouse keeper')).toEqual(['Official: Parvez Oskani']);
    expect(await found('oskani')).toEqual(['Official: Parvez Oskani']);
  });

  it('the index condition finds exactly the rows of the query it stands for', async () => {
    // Stop words in the head ("the", "of"), a last word `english` stems ("attacks") or drops
    // ("the"), one letter (no prefix), abbreviations `english` drops ("IS").
    const queries = [
      'bla',
      'baloch liberation',
      'the army',
      'of the',
      'the',
      'army of the',
      'attacks',
      'baloch attacks',
      'is gwadar',
      'IS',
      'a',
      'gwadar a',
      'liberation arm',
      'said',
    ];
    let matched = 0;
    for (const query of queries) {
      const texts = tsqueryTexts(searchWords(query));
      const prefixQuery = Prisma.sql`(to_tsquery('english', ${texts.prefix}) || to_tsquery('simple', ${texts.prefix}))`;
      for (const table of Object.keys(DOCUMENTS)) {
        const [counts] = await gateway.db.prisma.$queryRaw<{ matches: number; differ: number }[]>(Prisma.sql`
          SELECT count(*) FILTER (WHERE "searchDocument" @@ ${prefixQuery})::int AS matches,
                 count(*) FILTER (WHERE ("searchDocument" @@ ${indexQuery(texts, prefixQuery)}) IS DISTINCT FROM ("searchDocument" @@ ${prefixQuery}))::int AS differ
          FROM ${Prisma.raw(`"${table}"`)}`);
        expect(counts!.differ, `${query} in ${table}`).toBe(0);
        matched += counts!.matches;
      }
    }
    expect(matched).toBeGreaterThan(50);
  });

  it('either side of the query the index may get finds exactly the rows of the query', async () => {
    // The queries of the test above whose last word is a prefix after other words: the index may
    // get the whole words alone, the prefix checked on each row (src/search/index-side.ts).
    const queries = ['baloch liberation', 'the army', 'of the', 'army of the', 'baloch attacks', 'is gwadar', 'liberation arm', 'the said', 'gwadar bal'];
    let matched = 0;
    for (const query of queries) {
      const texts = tsqueryTexts(searchWords(query));
      const prefixQuery = Prisma.sql`(to_tsquery('english', ${texts.prefix}) || to_tsquery('simple', ${texts.prefix}))`;
      for (const table of Object.keys(DOCUMENTS)) {
        const ids = (match: (document: Prisma.Sql) => Prisma.Sql) =>
          Prisma.sql`SELECT id FROM ${Prisma.raw(`"${table}"`)} WHERE ${match(Prisma.raw('"searchDocument"'))}`;
        const expected = ids((document) => Prisma.sql`${document} @@ ${prefixQuery}`);
        for (const headOnly of [Prisma.sql`true`, Prisma.sql`false`]) {
          const [counts] = await gateway.db.prisma.$queryRaw<{ matches: number; differ: number }[]>(Prisma.sql`
            WITH found AS (${eitherSide(headOnly, texts, prefixQuery, ids)}), expected AS (${expected})
            SELECT (SELECT count(*) FROM found)::int AS matches,
                   (SELECT count(*) FROM ((TABLE found EXCEPT ALL TABLE expected) UNION ALL (TABLE expected EXCEPT ALL TABLE found)) d)::int AS differ`);
          expect(counts!.differ, `${query} in ${table}, head only: ${headOnly.sql}`).toBe(0);
          matched += counts!.matches;
        }
      }
    }
    expect(matched).toBeGreaterThan(50);
  });
});
