// A server run as its own process, as in production, for the soak and the benchmark: started,
// waited for until it says where it listens, sampled for memory, stopped.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  pid: number;
  /** Resident memory now, in MB (Linux /proc). */
  rssMb(): number;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `node --import tsx <script>` with `env` added and resolves once its output matches
 * `listening` (whose first group is the port).
 */
export async function startServerProcess(script: string, env: Record<string, string>, listening: RegExp): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Never leave a server running (and holding an embedded database) when the caller fails.
  const killOnExit = () => child.exitCode === null && child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const port = await new Promise<number>((found, failed) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = listening.exec(output);
      if (match) found(Number(match[1]));
    });
    child.once('exit', (code) => failed(new Error(`${script} exited with ${code} before listening:\n${output}`)));
  });
  child.stdout!.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    rssMb: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const code = await exited;
      process.off('exit', killOnExit);
      return code;
    },
  };
}

/** The gateway's own start-up line. */
export const GATEWAY_LISTENING = /localhost:(\d+)\/graphql/;

/** Environment for a gateway under load on loopback: measure it, not its rate limiter. */
export const LOAD_TEST_ENV = {
  HOST: '127.0.0.1',
  PORT: '0',
  NODE_ENV: 'production',
  RATE_LIMIT_PER_KEY: '10000000',
  RATE_LIMIT_PER_IP: '10000000',
  LOG_LEVEL: 'warn',
};

/** One GraphQL request to a server process, with an API key when given. */
export async function postGraphQL<Data = any>(url: string, body: { query: string; variables?: object }, secret?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret ? { authorization: `Bearer ${secret}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { data?: Data; errors?: { message: string }[]; extensions?: { sqlStatements?: number } };
}
