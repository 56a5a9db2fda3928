// `tsx scripts/startup-time.ts [--fresh] <DATABASE_URL> [runs] -- <command...>`: how long from
// spawning the command to the gateway's first answer, in milliseconds, per run (./lib/startup.ts).
// E.g. `tsx scripts/startup-time.ts file:./data/startup 3 -- npm start`. With --fresh (a file:
// URL only), the data directory is removed before each run: every start creates a new one.
import { timeStartups } from './lib/startup.js';

const args = process.argv.slice(2);
const fresh = args[0] === '--fresh';
const [url, runs = '3', separator, ...command] = fresh ? args.slice(1) : args;
if (!url || separator !== '--' || command.length === 0 || (fresh && !url.startsWith('file:'))) {
  console.error('usage: tsx scripts/startup-time.ts [--fresh] <DATABASE_URL> [runs] -- <command...> (--fresh: a file: URL)');
  process.exit(2);
}
console.log(JSON.stringify(await timeStartups({ url, runs: Number(runs), fresh, command })));
