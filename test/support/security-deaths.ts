// One question both cache tests ask: the seed article's discrepancy over security personnel killed
// in the coordinated attacks ("some 10" against the BLA's 84), and new claims that move it.

export const DISCREPANCIES = `{ discrepancies(first: 100) { edges { node { incident { id } metric side lowest highest } } } }`;

/** The comparison in a DISCREPANCIES answer (its `incident.id` is where to record new claims). */
export const securityDeaths = (data: any) =>
  data.discrepancies.edges.map((edge: any) => edge.node).find((d: any) => d.metric === 'KILLED' && d.side === 'STATE_FORCES' && d.lowest === 10);

export const RECORD = `mutation($input: RecordStatementInput!) { recordStatement(input: $input) {
  __typename ... on RecordPayload { statement { id } figures { id version } } ... on WriteError { message } } }`;

/** RECORD's input: hospital officials saying `killed` security personnel died in the attacks. */
export const hospitalClaim = (text: string, killed: number, at: { incident: string; source: string }) => ({
  kind: 'CASUALTY_REPORT',
  claimant: { kind: 'UNNAMED_GROUP', description: 'hospital officials', affiliation: 'STATE' },
  madeAt: '2026-02-01',
  text,
  sources: [at.source],
  incidents: [at.incident],
  figures: [
    {
      metric: 'KILLED',
      victimCategory: 'SECURITY_PERSONNEL',
      side: 'STATE_FORCES',
      victimDescription: 'soldiers and policemen',
      incident: at.incident,
      quantity: { kind: 'EXACT', low: killed, high: killed, phrase: String(killed) },
    },
  ],
});
