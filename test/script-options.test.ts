// The project's scripts answer --help, an unknown option and a missing required one with their
// usage and an exit code, not a stack trace (scripts/lib/script-options.ts).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = (script: string, ...args: string[]) => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, out: result.stdout, err: result.stderr };
};

describe('script options', () => {
  it('--help prints every option with its default and exits 0', () => {
    const { status, out } = run('scripts/bench/run.ts', '--help');
    expect(status).toBe(0);
    expect(out).toMatch(/^npm run bench -- \[options\]/);
    for (const option of ['--sizes', '--pglite-sizes', '--connections', '--nested-connections', '--startup-runs', '--help'])
      expect(out).toContain(`  ${option}`);
    expect(out).toContain("(default: '1,10')");
  });

  it('an unknown option is named, with the usage, and exits 2', () => {
    const { status, err } = run('scripts/bench/explain.ts', '--url', 'file:./nowhere', '--analyse');
    expect(status).toBe(2);
    expect(err).toContain("Unknown option '--analyse'");
    expect(err).toContain('--analyze');
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a missing required option is named and exits 2, before anything is opened', () => {
    const { status, err } = run('scripts/bench/engine-cost.ts', '--pglite', 'data/nowhere');
    expect(status).toBe(2);
    expect(err).toMatch(/^--server is required/);
  });
});
