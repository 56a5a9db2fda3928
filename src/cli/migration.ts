// `npm run db:migration -- <name>`: writes a migration with what schema.prisma has that the
// migrations lack. `--check` exits 1 and prints that SQL instead (for CI). Needs no database.
import { relative } from 'node:path';
import { createMigration, pendingSchemaChanges } from '../db/schema-engine.js';

const usage = 'Usage: tsx src/cli/migration.ts <name> | --check';

async function main(arg: string | undefined): Promise<number> {
  if (arg === '--check') {
    const sql = await pendingSchemaChanges();
    if (!sql) {
      console.log('Migrations are up to date with schema.prisma');
      return 0;
    }
    console.error('schema.prisma has changes that no migration holds:\n');
    console.log(sql);
    return 1;
  }
  if (!arg || arg.startsWith('-')) {
    console.error(usage);
    return 2;
  }
  const folder = await createMigration(arg);
  console.log(folder ? relative(process.cwd(), folder) : 'no changes');
  return 0;
}

main(process.argv[2]).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
  },
);
