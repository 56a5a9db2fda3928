// The fixed set of operations the benchmark drives, as a client would send them. Their
// variables come from the dataset (an incident in the middle, a cursor deep into the figures),
// so every size answers the same kind of question.

/** The rows the operations point at, read from the database before the run. */
export interface Fixture {
  /** Global ID of an incident in the middle of the id range (it has statements). */
  incident: string;
  /** Global ID of the incident the write records statements about (the oldest one). */
  writeIncident: string;
  /** Global ID of a source, for the write's source chain. */
  source: string;
  /** A cursor 90% of the way into the current KILLED figures. */
  deepFigureCursor: string;
  /** A name the search should find (an armed group's). */
  searchTerms: string;
  /** A month of incidents for the discrepancy query. */
  month: { from: string; to: string };
  /** Global ID of an armed group (the first), for its track record. */
  claimant: string;
}

export interface Operation {
  name: string;
  /** What it stands for, in the report. */
  description: string;
  /** A write: needs a WRITE key, and a fresh body per request. */
  write?: boolean;
  body(fixture: Fixture, sequence: number): { query: string; variables?: Record<string, unknown> };
}

const CLAIMANT = `claimant { __typename ... on Organisation { id name } ... on Official { id officialName: name } ... on UnnamedClaimant { description } }`;
const QUANTITY = `quantity { kind low high phrase }`;

/** Incident → statements → figures → claimant, `first` incidents per page. */
export const nestedPage = (first: number) => `query NestedIncidentPage {
  incidents(first: ${first}) {
    totalCount
    pageInfo { endCursor hasNextPage }
    edges { node {
      id title startedAt
      statements { edges { node { id text madeAt claimantDescription ${CLAIMANT}
        figures { id metric victimCategory ${QUANTITY} } } } }
    } }
  }
}`;

export const operations: Operation[] = [
  {
    name: 'nested page',
    description: '50 incidents → statements → figures → claimant, with totalCount',
    body: () => ({ query: nestedPage(50) }),
  },
  {
    name: 'discrepancies',
    description: 'largest disagreements on KILLED in one month, top 20, with every position',
    body: (fixture) => ({
      query: `query Discrepancies($between: DateRange!) {
        discrepancies(first: 20, filter: { between: $between, metric: KILLED }) {
          edges { node {
            incident { id title } metric side lowest highest ratio agreement
            positions { low high approximate ${CLAIMANT} }
          } }
        }
      }`,
      variables: { between: fixture.month },
    }),
  },
  {
    name: 'track record',
    description: "an armed group's track record: the summary and the first 20 entries' relations",
    body: (fixture) => ({
      query: `query TrackRecord($id: ID!) {
        node(id: $id) { ... on Organisation { trackRecord {
          summary { comparisons higher lower equal overlapping medianRatio }
          entries(first: 20) { edges { node { relation ratio comparison { incident { id } metric side } } } }
        } } }
      }`,
      variables: { id: fixture.claimant },
    }),
  },
  {
    name: 'deep figures page',
    description: '50 current KILLED figures, 90% of the way through the list (cursor), with totalCount',
    body: (fixture) => ({
      query: `query DeepFigures($after: String!) {
        figures(first: 50, after: $after, filter: { metrics: [KILLED], current: true }) {
          totalCount
          pageInfo { endCursor hasNextPage }
          edges { node { id side victimCategory ${QUANTITY} statement { id claimantDescription } } }
        }
      }`,
      variables: { after: fixture.deepFigureCursor },
    }),
  },
  {
    name: 'search',
    description: "full-text search for an armed group's name, 20 ranked hits",
    body: (fixture) => ({
      query: `query Search($q: String!) {
        search(query: $q, first: 20) { totalCount edges { rank snippet node { __typename ... on Node { id } } } }
      }`,
      variables: { q: fixture.searchTerms },
    }),
  },
  {
    name: 'node lookup',
    description: 'one incident by global ID, with places and statements',
    body: (fixture) => ({
      query: `query Incident($id: ID!) {
        node(id: $id) { id ... on Incident { title startedAt places { name } statements { edges { node { id claimantDescription } } } } }
      }`,
      variables: { id: fixture.incident },
    }),
  },
  {
    name: 'write',
    description: 'recordStatement: a statement with one figure on an incident, one transaction',
    write: true,
    body: (fixture, sequence) => ({
      query: `mutation Record($input: RecordStatementInput!) {
        recordStatement(input: $input) { __typename ... on RecordPayload { statement { id } figures { id } } ... on WriteError { message } }
      }`,
      variables: {
        input: {
          externalId: `bench-${process.pid}-${Date.now()}-${sequence}`,
          kind: 'CASUALTY_REPORT',
          claimant: { kind: 'UNNAMED_GROUP', description: 'benchmark officials', affiliation: 'STATE' },
          madeAt: '2026-02-01',
          text: `Officials said at least ${(sequence % 90) + 1} people were injured.`,
          sources: [fixture.source],
          incidents: [fixture.writeIncident],
          figures: [
            {
              metric: 'INJURED',
              victimCategory: 'PEOPLE',
              side: 'UNSPECIFIED',
              victimDescription: 'people',
              quantity: { kind: 'AT_LEAST', low: (sequence % 90) + 1, phrase: `at least ${(sequence % 90) + 1}` },
            },
          ],
        },
      },
    }),
  },
];
