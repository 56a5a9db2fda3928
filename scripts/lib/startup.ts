// How long a gateway takes from spawning its command to the first answer to `{ __typename }`,
// for the start-up script and the benchmark. With `fresh` (a file: URL only), the data directory
// is removed before each run: every start creates a new one.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

export interface StartupTiming {
  command: string;
  url: string;
  fresh: boolean;
  /** Milliseconds per run, in the order run. */
  ms: number[];
  medianMs: number;
}

export async function timeStartups(options: { url: string; runs: number; fresh: boolean; command: string[] }): Promise<StartupTiming> {
  const { url, runs, fresh, command } = options;
  if (fresh && !url.startsWith('file:')) throw new Error(`a fresh start needs a file: URL, got ${url}`);
  const port = 4600 + Math.floor(Math.random() * 300);
  const ms: number[] = [];
  for (let run = 0; run < runs; run++) {
    if (fresh) rmSync(url.slice('file:'.length), { recursive: true, force: true });
    const started = performance.now();
    // Its own process group: `npm start` runs node under a shell, and the signal must reach node.
    const child = spawn(command[0]!, command.slice(1), {
      env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
      detached: true,
    });
    const exited = new Promise((done) => child.once('exit', done));
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode} before answering`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ __typename }"}',
        });
        if (response.ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((wait) => setTimeout(wait, 10));
    }
    ms.push(Math.round(performance.now() - started));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return { command: command.join(' '), url, fresh, ms, medianMs: sorted[Math.floor(sorted.length / 2)]! };
}
