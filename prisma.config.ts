// Prisma CLI configuration. Only `prisma generate` is used from the CLI: migrations run
// through the Wasm schema engine (src/db/schema-engine.ts), see README "Migrations".
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
