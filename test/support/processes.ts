// Running the gateway's own commands as child processes, as an operator would.
import { spawn, type ChildProcess } from 'node:child_process';

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
