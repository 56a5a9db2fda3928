// Reading who said something with one fragment, whatever kind of claimant it is: an official,
// an organisation, or an unnamed group or person (`Claimant` is an interface they all implement).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway();
  // The seed has no unnamed single person: one witness, so every claimant kind is present.
  await gateway.db.prisma.statement.create({
    data: { kind: 'OTHER', claimantKind: 'UNNAMED_PERSON', claimantDescription: 'a witness in Mastung', text: 'I heard two blasts.' },
  });
});
afterAll(() => gateway.close());

const WHO = `fragment Who on Claimant { __typename name claimantKind }`;
const TYPE_OF_KIND = { OFFICIAL: 'Official', ORGANISATION: 'Organisation', UNNAMED_GROUP: 'UnnamedClaimant', UNNAMED_PERSON: 'UnnamedClaimant' };

describe('one claimant fragment', () => {
  it('names every kind of claimant, none of them null, with the kind the statement records', async () => {
    const { statements } = await gateway.data(`{ statements(first: 100) { edges { node {
      claimantKind claimantDescription claimant { ...Who }
    } } } } ${WHO}`);
    const claimants = statements.edges.map((edge: any) => edge.node);
    expect(new Set(claimants.map((s: any) => s.claimant.claimantKind))).toEqual(new Set(Object.keys(TYPE_OF_KIND)));
    for (const statement of claimants) {
      expect(statement.claimant.claimantKind).toBe(statement.claimantKind);
      expect(statement.claimant.__typename).toBe(TYPE_OF_KIND[statement.claimantKind as keyof typeof TYPE_OF_KIND]);
      expect(statement.claimant.name).toEqual(expect.any(String));
    }
    const names = claimants.map((s: any) => s.claimant.name);
    expect(names).toEqual(expect.arrayContaining(['Baloch Liberation Army', 'Mohsin Naqvi', 'security officials', 'a witness in Mastung']));
    // Known only by role: called what the reporting calls him, never an invented name.
    expect(names).toContain('the area’s top civil administrator (Noshki); the article does not give his name');
  });

  it('works wherever a claimant is answered: figures, claimant groups, comparisons, totals, search', async () => {
    const { figures, incidents, discrepancies, figureTotals, search } = await gateway.data(`{
      figures(first: 100) { edges { node { claimant { ...Who } } } }
      incidents(filter: { kinds: [COORDINATED_ATTACK] }) { edges { node { claimantFigures { claimant { ...Who } } } } }
      discrepancies { edges { node { positions { claimant { ...Who } } } } }
      figureTotals(input: { metric: KILLED, groupBy: CLAIMANT }) { claimant { ...Who } }
      search(query: "security officials") { edges { node { ... on Statement { claimant { ...Who } } } } }
    } ${WHO}`);
    const all = [
      ...figures.edges.map((edge: any) => edge.node.claimant),
      ...incidents.edges.flatMap((edge: any) => edge.node.claimantFigures.map((group: any) => group.claimant)),
      ...discrepancies.edges.flatMap(({ node: comparison }: any) => comparison.positions.map((position: any) => position.claimant)),
      ...figureTotals.map((row: any) => row.claimant),
      ...search.edges.map((edge: any) => edge.node.claimant).filter(Boolean),
    ];
    expect(figureTotals.length).toBeGreaterThan(1);
    expect(search.edges.length).toBeGreaterThan(0);
    expect(new Set(all.map((claimant) => claimant.__typename))).toEqual(new Set(['Official', 'Organisation', 'UnnamedClaimant']));
    for (const claimant of all) expect(claimant).toEqual({ __typename: expect.any(String), name: expect.any(String), claimantKind: expect.any(String) });
  });

  it('still reads what only one kind has, and `name` on two kinds side by side no longer conflicts', async () => {
    const response = await gateway.graphql(`{ statements(first: 100) { edges { node { claimant {
      name
      ... on Organisation { name aliases kind }
      ... on Official { name reportedName displayName description roles { title } }
      ... on UnnamedClaimant { words: description unnamedKind: kind }
    } } } } }`);
    expect(response.errors).toBeUndefined();
    const claimants = response.data.statements.edges.map((edge: any) => edge.node.claimant);
    // Organisation.kind stays what kind of body it is; the claimant's kind is `claimantKind`.
    expect(claimants).toContainEqual({ name: 'Baloch Liberation Army', aliases: ['BLA'], kind: 'ARMED_GROUP' });
    expect(claimants).toContainEqual(
      expect.objectContaining({
        name: 'Mohsin Naqvi',
        reportedName: 'Mohsin Naqvi',
        displayName: 'Mohsin Naqvi',
        roles: [expect.objectContaining({ title: expect.any(String) })],
      }),
    );
    const administrator = claimants.find((c: any) => c.description?.startsWith('the area’s top civil administrator'));
    expect(administrator).toMatchObject({ reportedName: null, name: administrator.description, displayName: administrator.description });
    // Specific fields of different types still clash when they differ (Organisation.kind is an
    // OrganisationKind, UnnamedClaimant.kind a ClaimantKind): aliases, or the shared fields.
    expect(claimants).toContainEqual({ name: 'a witness in Mastung', words: 'a witness in Mastung', unnamedKind: 'UNNAMED_PERSON' });
  });
});
