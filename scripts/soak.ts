// Bounded soak test on loopback: starts a gateway process on 127.0.0.1 (embedded PGlite in a
// temporary directory unless --database postgres://… is given), creates a WRITE key, and runs
// autocannon against it with a mix of reads and writes for --duration seconds, one slice a
// minute. Prints requests, errors (non-2xx and GraphQL errors), p50/p99 per slice, and the
// gateway's RSS (sampled every 5 s) at start, end and max.
//
//   npm run soak                                   # 120 s on a fresh embedded database
//   npm run soak -- --duration 180 --connections 10
//   npm run soak -- --database postgresql://postgres@127.0.0.1:5432/soak
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createApiKey } from '../src/auth/keys.js';
import { parseDatabaseUrl } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { applyMigrations } from '../src/db/schema-engine.js';
import { seedDatabase } from '../src/seed/seed.js';
import { GATEWAY_LISTENING, LOAD_TEST_ENV, postGraphQL, startServerProcess } from './lib/server-process.js';
import { scriptOptions } from './lib/script-options.js';

const args = scriptOptions('npm run soak -- [options]: a gateway process under a mix of reads and writes, sliced.', {
  duration: { type: 'string', default: '120', description: 'seconds of load' },
  connections: { type: 'string', default: '10', description: 'autocannon connections' },
  database: { type: 'string', description: 'a postgres:// URL (a fresh embedded database in a temporary directory when left out)' },
  'slice-seconds': { type: 'string', default: '60', description: 'seconds per reported slice' },
});
const duration = Number(args.duration);
const connections = Number(args.connections);
const sliceSeconds = Number(args['slice-seconds']);
if (!(duration > 0 && duration <= 3600) || !(connections > 0 && connections <= 200)) {
  throw new Error('--duration must be 1..3600 seconds and --connections 1..200');
}

// 1. The database: migrated, seeded, with a WRITE key. Closed again before the gateway opens it.
const dir = args.database ? null : mkdtempSync(join(tmpdir(), 'gateway-soak-'));
const databaseUrl = args.database ?? `file:${join(dir!, 'pglite')}`;
const target = parseDatabaseUrl(databaseUrl);
const secret = await (async () => {
  const db = await openDatabase(target);
  await applyMigrations(db.adapterFactory);
  if ((await db.prisma.statement.count()) === 0) await seedDatabase(db.prisma);
  const key = await createApiKey(db.prisma, `soak ${new Date().toISOString()}`, ['WRITE']);
  await db.close();
  return key.secret;
})();

// 2. The gateway, as in production, on loopback only.
const gateway = await startServerProcess('src/server.ts', { ...LOAD_TEST_ENV, DATABASE_URL: databaseUrl, REPORT_SQL_STATEMENTS: 'false' }, GATEWAY_LISTENING);
const url = gateway.url;
const rssMb = gateway.rssMb;

const graphql = (query: string, variables?: object) => postGraphQL(url, { query, variables }, secret);

// 3. The mix: four reads, one write (a statement with a figure, unique externalId each time).
const ids = (await graphql(`{ incidents(first: 1) { edges { node { id } } } sources(first: 1) { edges { node { id } } } }`)).data;
const incident = ids.incidents.edges[0].node.id;
const source = ids.sources.edges[0].node.id;
const exampleQuery = readFileSync(new URL('../src/http/example-query.graphql', import.meta.url), 'utf8');
const reads = [
  { name: 'example query', query: exampleQuery },
  {
    name: 'figures page',
    query:
      '{ figures(first: 50, filter: { current: true }) { totalCount edges { node { id quantity { kind low high phrase } metric side } } pageInfo { endCursor } } }',
  },
  { name: 'discrepancies', query: '{ discrepancies(first: 10) { edges { node { incident { title } metric side lowest highest ratio agreement } } } }' },
  { name: 'search', query: '{ search(query: "Balochistan attack", first: 20) { totalCount edges { rank snippet node { __typename } } } }' },
];
const RECORD = `mutation($input: RecordStatementInput!) { recordStatement(input: $input) { __typename ... on RecordPayload { replayed figures { id } } ... on WriteError { message } } }`;
let written = 0;
const writeBody = () =>
  JSON.stringify({
    query: RECORD,
    variables: {
      input: {
        externalId: `soak-${process.pid}-${++written}`,
        kind: 'CASUALTY_REPORT',
        claimant: { kind: 'UNNAMED_GROUP', description: 'soak test officials', affiliation: 'STATE' },
        madeAt: '2026-02-01',
        text: `Soak statement ${written}: officials said at least ${(written % 90) + 1} people were injured.`,
        sources: [source],
        incidents: [incident],
        figures: [
          {
            metric: 'INJURED',
            victimCategory: 'PEOPLE',
            side: 'UNSPECIFIED',
            victimDescription: 'people',
            quantity: { kind: 'AT_LEAST', low: (written % 90) + 1, phrase: `at least ${(written % 90) + 1}` },
          },
        ],
      },
    },
  });

let graphqlErrors = 0;
let writeRefusals = 0;
let writesAnswered = 0;
const onResponse = (status: number, body: string) => {
  if (body.includes('"RecordPayload"')) writesAnswered++;
  if (status >= 200 && status < 300 && body.includes('"errors"')) graphqlErrors++;
  if (body.includes('"InvalidInput"') || body.includes('"NotFound"') || body.includes('"Conflict"')) writeRefusals++;
};
const headers = { 'content-type': 'application/json', authorization: `Bearer ${secret}` };
const requests: autocannon.Request[] = [
  ...reads.map((read) => ({ method: 'POST' as const, path: '/graphql', headers, body: JSON.stringify({ query: read.query }), onResponse })),
  { method: 'POST' as const, path: '/graphql', headers, setupRequest: (request: any) => ({ ...request, body: writeBody() }), onResponse },
];

// 4. Run, one slice a minute; sample RSS every 5 s.
const rss: number[] = [rssMb()];
const sampler = setInterval(() => rss.push(rssMb()), 5_000);
const statementsBefore = await countStatements();
const slices: { slice: number; requests: number; non2xx: number; errors: number; p50: number; p99: number; rps: number }[] = [];
console.log(
  `soak: ${duration} s, ${connections} connections, ${databaseUrl.startsWith('file:') ? 'embedded PGlite' : 'PostgreSQL'}, gateway pid ${gateway.pid}, RSS ${rss[0]!.toFixed(0)} MB`,
);
for (let left = duration, n = 1; left > 0; left -= sliceSeconds, n++) {
  const errorsBefore = graphqlErrors;
  const result = await autocannon({ url, connections, duration: Math.min(sliceSeconds, left), requests });
  slices.push({
    slice: n,
    requests: result.requests.total,
    non2xx: result.non2xx + result.errors + result.timeouts,
    errors: graphqlErrors - errorsBefore,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: Math.round(result.requests.average),
  });
  console.log(`  slice ${n}: ${result.requests.total} requests, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, RSS ${rssMb().toFixed(0)} MB`);
}
clearInterval(sampler);
rss.push(rssMb());
const statementsAfter = await countStatements();

async function countStatements(): Promise<number> {
  return (await graphql('{ statements(first: 1) { totalCount } }')).data.statements.totalCount;
}

// 5. Report.
const total = slices.reduce((sum, s) => sum + s.requests, 0);
const failed = slices.reduce((sum, s) => sum + s.non2xx + s.errors, 0);
console.log('\n| slice | requests | req/s | non-2xx | GraphQL errors | p50 ms | p99 ms |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const s of slices) console.log(`| ${s.slice} | ${s.requests} | ${s.rps} | ${s.non2xx} | ${s.errors} | ${s.p50} | ${s.p99} |`);
console.log(
  `\nrequests ${total}, errors ${failed} (write refusals ${writeRefusals}); statements written ${statementsAfter - statementsBefore}; writes answered as recorded ${writesAnswered} (rows lost: ${Math.max(0, writesAnswered - (statementsAfter - statementsBefore))}); write bodies prepared ${written} (a write still in flight when a slice ends may be committed without its answer being counted)`,
);
console.log(`gateway RSS: start ${rss[0]!.toFixed(0)} MB, end ${rss.at(-1)!.toFixed(0)} MB, max ${Math.max(...rss).toFixed(0)} MB (${rss.length} samples)`);

const code = await gateway.stop();
if (dir) rmSync(dir, { recursive: true, force: true });
console.log(`gateway exited with ${code}`);
process.exit(failed === 0 && code === 0 ? 0 : 1);
