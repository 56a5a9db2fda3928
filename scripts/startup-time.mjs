// `node scripts/startup-time.mjs [--fresh] <DATABASE_URL> [runs] -- <command...>`: how long from
// spawning the command to the gateway's first answer to `{ __typename }`, in milliseconds, per run.
// E.g. `node scripts/startup-time.mjs file:./data/startup 3 -- npm start`. With --fresh (a file:
// URL only), the data directory is removed before each run: every start creates a new one.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const args = process.argv.slice(2);
const fresh = args[0] === '--fresh';
const [url, runs = '3', separator, ...command] = fresh ? args.slice(1) : args;
if (!url || separator !== '--' || command.length === 0 || (fresh && !url.startsWith('file:'))) {
  console.error('usage: node scripts/startup-time.mjs [--fresh] <DATABASE_URL> [runs] -- <command...> (--fresh: a file: URL)');
  process.exit(2);
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const port = 4600 + Math.floor(Math.random() * 300);
const times = [];
for (let run = 0; run < Number(runs); run++) {
  if (fresh) rmSync(url.slice('file:'.length), { recursive: true, force: true });
  const started = performance.now();
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  const exited = new Promise((done) => child.once('exit', done));
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      });
      if (response.ok) break;
    } catch {}
    await new Promise((wait) => setTimeout(wait, 10));
  }
  times.push(Math.round(performance.now() - started));
  child.kill('SIGTERM');
  await exited;
}
console.log(JSON.stringify({ command: command.join(' '), url, fresh, ms: times, medianMs: median(times) }));
