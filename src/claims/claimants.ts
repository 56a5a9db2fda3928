// What to call a claimant, the one rule for every place that shows one (GraphQL's
// `Claimant.name`, CSV exports, charts): an organisation by its name, an official by the name
// the reporting gives or else how it refers to them ("a senior police officer"), an unnamed
// speaker in the reporting's words ("security officials"). Never an invented name.
import { Prisma } from '../generated/prisma/client.js';

const UNNAMED_OFFICIAL = 'an unnamed official';

/** An official's name, else the reporting's description of them. */
export function officialName(official: { name: string | null; description: string | null }): string {
  // Writes refuse an official with neither (src/writes/officials.ts); the words keep the type total.
  return official.name ?? official.description ?? UNNAMED_OFFICIAL;
}

/** The SQL twin of `officialName` for an "Official" row `row` (test/compiled-reads.test.ts checks the two agree). */
export const officialNameSql = (row: Prisma.Sql) => Prisma.sql`COALESCE(${row}.name, ${row}.description, ${UNNAMED_OFFICIAL})`;

/** Who made a statement, by name, as GraphQL's `Claimant.name` shows it. */
export function claimantName(statement: {
  claimantKind: string;
  claimantDescription: string;
  official: { name: string | null; description: string | null } | null;
  organisation: { name: string } | null;
}): string {
  if (statement.claimantKind === 'OFFICIAL' && statement.official) return officialName(statement.official);
  if (statement.claimantKind === 'ORGANISATION' && statement.organisation) return statement.organisation.name;
  return statement.claimantDescription;
}
