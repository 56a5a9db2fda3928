// Two projects run the same suite: on a fresh PGlite per test file (always), and on a
// PostgreSQL server when TEST_DATABASE_URL is set. Under CI=true the server suite must run.
import { defineConfig } from 'vitest/config';

const serverUrl = process.env.TEST_DATABASE_URL;
if (process.env.CI === 'true' && !serverUrl) {
  throw new Error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL suite must run in CI');
}

// Files that test the embedded database itself (its lock, crash recovery) or need no database.
const embeddedOnly = [
  'test/embedded-lock.test.ts',
  'test/embedded-database.test.ts',
  'test/graphiql.test.ts',
  'test/migrations.test.ts',
  'test/seed.test.ts',
];

// Files that need a PostgreSQL server (the database going away behind a proxy; read replicas;
// two gateway processes sharing one database).
const serverOnly = ['test/faults-database-outage.test.ts', 'test/faults-database-frozen.test.ts', 'test/read-replicas.test.ts', 'test/scale-out.test.ts'];

export default defineConfig({
  // Node loads graphql's CommonJS entry for Pothos and Yoga; Vite would hand our code the ESM
  // one, and graphql refuses to mix the two. Use the one Node uses.
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true as const,
        test: { name: 'pglite', include: ['test/**/*.test.ts'], exclude: serverOnly, globalSetup: ['test/support/setup-pglite.ts'] },
      },
      ...(serverUrl
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: ['test/**/*.test.ts'],
                exclude: embeddedOnly,
                globalSetup: ['test/support/setup-postgres.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
