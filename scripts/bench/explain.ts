// The SQL a compiled read sends for each read operation of ./operations.ts on an existing
// dataset (values written in, so it can be pasted into psql), and with --analyze its plan as
// PostgreSQL ran it (EXPLAIN (ANALYZE, BUFFERS)): where a page's time goes, row by row.
//
//   tsx scripts/bench/explain.ts --url postgresql://postgres@127.0.0.1:5432/bench_10000 --only 'deep figures page' --analyze
import { parse } from 'graphql';
import { scriptOptions } from '../lib/script-options.js';
import { COUNT_EXACT_LIMIT, parseDatabaseUrl } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { compileRead } from '../../src/reads/compile.js';
import { TWINS } from '../../src/reads/twins.js';
import { schema } from '../../src/schema/index.js';
import { readFixture } from './datasets.js';
import { operations } from './operations.js';

const args = scriptOptions("tsx scripts/bench/explain.ts --url <database> [--only 'name,...'] [--analyze]: the SQL of each compiled read operation.", {
  url: { type: 'string', required: true, description: 'the dataset database (DATABASE_URL form)' },
  only: { type: 'string', default: '', description: 'operation names of ./operations.ts, comma-separated (all when empty)' },
  analyze: { type: 'boolean', description: 'also run EXPLAIN (ANALYZE, BUFFERS)' },
});

/** The statement with its values written in as literals. */
function withValues(sql: Prisma.Sql): string {
  let text = sql.text;
  for (let i = sql.values.length; i >= 1; i--) {
    const value = sql.values[i - 1];
    text = text.replaceAll(`$${i}`, typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`);
  }
  return text;
}

const db = await openDatabase(parseDatabaseUrl(args.url!, 1));
try {
  const fixture = await readFixture(db);
  const only = args.only ? args.only.split(',') : null;
  for (const operation of operations) {
    if (operation.write || (only && !only.includes(operation.name))) continue;
    const body = operation.body(fixture, 0);
    const plan = compileRead(schema, TWINS, { document: parse(body.query), variables: body.variables ?? {}, countExactLimit: COUNT_EXACT_LIMIT });
    console.log(`-- ${operation.name}${plan ? '' : ': not compiled (executed field by field)'}`);
    if (!plan) continue;
    console.log(`${withValues(plan)};`);
    if (args.analyze) {
      const rows = await db.prisma.$queryRaw<{ 'QUERY PLAN': string }[]>(Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${plan}`);
      console.log(rows.map((row) => row['QUERY PLAN']).join('\n'));
    }
  }
} finally {
  await db.close();
}
