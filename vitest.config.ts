// The suite runs on a fresh PGlite per test file (always) and on a PostgreSQL server when
// TEST_DATABASE_URL is set (under CI=true the server suite must run), each in two tiers:
//   fast    the domain's specifications, over HTTP against a gateway in the test's process;
//   system  child processes (the CLI, `npm start`, signals), a real browser, faults, migrations,
//           fuzzing and floods: slower, and what a change to start-up or operations must pass.
// Projects are named <tier>-<database>: `vitest run --project 'fast-*'` (see package.json).
import { defineConfig } from 'vitest/config';

const serverUrl = process.env.TEST_DATABASE_URL;
if (process.env.CI === 'true' && !serverUrl) {
  throw new Error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL suite must run in CI');
}

// Files that test the embedded database itself (its lock, crash recovery) or need no database.
const embeddedOnly = [
  'test/build.test.ts',
  'test/embedded-lock.test.ts',
  'test/embedded-statements.test.ts',
  'test/embedded-database.test.ts',
  'test/graphiql.test.ts',
  'test/migrations.test.ts',
  'test/script-options.test.ts',
  'test/seed.test.ts',
  'test/seed-archive.test.ts',
];

// Files that need a PostgreSQL server (the database going away behind a proxy; read replicas;
// two gateway processes sharing one database).
const serverOnly = ['test/faults-database-outage.test.ts', 'test/faults-database-frozen.test.ts', 'test/read-replicas.test.ts', 'test/scale-out.test.ts'];

// The system tier, by file; every other test file is in the fast tier.
const systemTier = [
  'test/build.test.ts',
  'test/clients.test.ts',
  'test/drafting.test.ts',
  'test/drain.test.ts',
  'test/embedded-database.test.ts',
  'test/embedded-lock.test.ts',
  'test/failure-messages.test.ts',
  'test/faults.test.ts',
  'test/faults-database-frozen.test.ts',
  'test/faults-database-outage.test.ts',
  'test/floods.test.ts',
  'test/fuzz.test.ts',
  'test/import.test.ts',
  'test/local-operator.test.ts',
  'test/migrations.test.ts',
  'test/pages.test.ts',
  'test/read-replicas.test.ts',
  'test/scale-out.test.ts',
  'test/script-options.test.ts',
  'test/seed-archive.test.ts',
];

const databases = [
  { name: 'pglite', exclude: serverOnly, globalSetup: 'test/support/setup-pglite.ts', runs: true },
  { name: 'postgres', exclude: embeddedOnly, globalSetup: 'test/support/setup-postgres.ts', runs: Boolean(serverUrl) },
];

const projects = databases
  .filter((database) => database.runs)
  .flatMap((database) =>
    [
      { tier: 'fast', include: ['test/**/*.test.ts'], exclude: [...database.exclude, ...systemTier] },
      { tier: 'system', include: systemTier, exclude: database.exclude },
    ].map(({ tier, include, exclude }) => ({
      extends: true as const,
      test: { name: `${tier}-${database.name}`, include, exclude, globalSetup: [database.globalSetup] },
    })),
  );

export default defineConfig({
  // Node loads graphql's CommonJS entry for Pothos and Yoga; Vite would hand our code the ESM
  // one, and graphql refuses to mix the two. Use the one Node uses.
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects,
  },
});
