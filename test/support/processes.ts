// Running the gateway's own commands as child processes, as an operator would.
import { spawn, type ChildProcess } from 'node:child_process';
import { GATEWAY_LISTENING } from '../../scripts/lib/server-process.js';

/** Starts `node --import tsx <script> ...args` with extra environment variables (and a stdin to write to, when asked). */
export function runScript(script: string, args: string[], env: Record<string, string>, options: { stdin?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the exit code and everything the process printed. */
export function finished(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => done({ code, output }));
  });
}

/** Resolves with the first output matching `pattern`; rejects if the process exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((found, failed) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = output.match(pattern);
      if (match) found(match);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => failed(new Error(`exited with ${code} before ${pattern}:\n${output}`)));
  });
}

/** A gateway started by an npm script, listening on `url`; `output` is all it has printed so far. */
export interface NpmGateway {
  url: string;
  output(): string;
  /** SIGTERM to its whole process group (npm, the shell, node), resolved once it has exited. */
  stop(): Promise<void>;
}

/**
 * Runs `npm run <script>` with NODE_ENV unset (as an operator's shell has it), `env` added and a
 * port of its choosing, in its own process group so that npm, the shell and node all stop
 * together; resolves once it prints where it listens, rejects if it exits first.
 */
export async function startNpmGateway(script: string, env: Record<string, string>): Promise<NpmGateway> {
  const environment: Record<string, string | undefined> = { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env };
  delete environment.NODE_ENV;
  const child = spawn('npm', ['run', script], { env: environment, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((exited) => child.once('exit', exited));
  };
  try {
    const port = await new Promise<string>((found, failed) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk;
        const match = GATEWAY_LISTENING.exec(output);
        if (match) found(match[1]!);
      });
      child.once('exit', (code) => failed(new Error(`npm run ${script} exited with ${code}:\n${output}`)));
    });
    return { url: `http://127.0.0.1:${port}`, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
