// `node scripts/startup-time.mjs <DATABASE_URL> [runs] -- <command...>`: how long from spawning
// the command to the gateway's first answer to `{ __typename }`, in milliseconds, per run.
// E.g. `node scripts/startup-time.mjs file:./data/startup 3 -- npm start`.
import { spawn } from 'node:child_process';

const [url, runs = '3', separator, ...command] = process.argv.slice(2);
if (!url || separator !== '--' || command.length === 0) {
  console.error('usage: node scripts/startup-time.mjs <DATABASE_URL> [runs] -- <command...>');
  process.exit(2);
}
const port = 4600 + Math.floor(Math.random() * 300);
const times = [];
for (let run = 0; run < Number(runs); run++) {
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
console.log(JSON.stringify({ command: command.join(' '), url, ms: times }));
