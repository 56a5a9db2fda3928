// The read operations of ./operations.ts one request at a time in this process (no HTTP
// server, no concurrency), on an existing dataset that is not rebuilt or changed: p50 and p99 of
// `--runs` requests after a warm-up, and a hash of each answer so two code versions can be
// checked to answer the same.
//
//   tsx scripts/bench/in-process.ts --url postgresql://postgres@127.0.0.1:5432/bench_100000 --runs 30
import { createHash } from 'node:crypto';
import { scriptOptions } from '../lib/script-options.js';
import { loadConfig, parseDatabaseUrl } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { inProcessEventBus } from '../../src/events/claim-events.js';
import { createGateway } from '../../src/http/gateway.js';
import { sortedTimes } from './breakdown.js';
import { readFixture } from './datasets.js';
import { operations } from './operations.js';

const args = scriptOptions('tsx scripts/bench/in-process.ts --url <database> [--runs N] [--only ...]: read operations one at a time in process.', {
  url: { type: 'string', required: true, description: 'the dataset database (DATABASE_URL form), read only' },
  runs: { type: 'string', default: '30', description: 'requests per operation after a warm-up' },
  only: { type: 'string', default: '', description: 'operation names of ./operations.ts, comma-separated (all when empty)' },
});
const runs = Number(args.runs);
const config = { ...loadConfig({ ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'silent' }), database: parseDatabaseUrl(args.url!, 4) };
const db = await openDatabase(config.database);
try {
  const fixture = await readFixture(db);
  const gateway = createGateway(db, config, { events: inProcessEventBus() });
  const only = args.only ? args.only.split(',') : null;
  for (const operation of operations) {
    if (operation.write || (only && !only.includes(operation.name))) continue;
    const body = JSON.stringify(operation.body(fixture, 0));
    const request = async () => (await gateway.fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text();
    const answer = await request();
    if (answer.includes('"errors"')) throw new Error(`${operation.name}: ${answer.slice(0, 500)}`);
    const times = await sortedTimes(request, runs, 2);
    const at = (q: number) => times[Math.min(runs - 1, Math.ceil(q * runs) - 1)]!.toFixed(1);
    const hash = createHash('sha256').update(answer).digest('hex').slice(0, 12);
    console.log(`${operation.name.padEnd(18)} p50 ${at(0.5).padStart(8)} ms  p99 ${at(0.99).padStart(8)} ms  answer ${hash} (${answer.length} B)`);
  }
  await gateway.dispose();
} finally {
  await db.close();
}
