// The embedded database's lock: exactly one holder however many processes open it at once, a
// stale lock (dead or recycled pid, a reboot, a host that is gone) is recognised and taken over
// by exactly one of them, a live one is refused with a message naming the holder and how to
// recover, and every name of a symlinked data directory shares one lock.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseLockedError, HEARTBEAT_MS, lockDataDirectory, realDirectory, STALE_AFTER_MS, type LockHolder } from '../src/db/lock.js';
import { runScript } from './support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'gateway-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONTENDERS = 12;
const ROUNDS = 20;

/** The lines a child prints, one at a time. */
function lineReader(child: ChildProcess) {
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  return () => (lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise<string>((got) => waiting.push(got)));
}

/** This machine's own lock record for `pid`, as lock.ts writes it. */
function record(overrides: Partial<LockHolder>): string {
  const stat = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
  return JSON.stringify({
    pid: process.pid,
    hostname: hostname(),
    bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
    processStart: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19],
    command: 'a test',
    since: new Date().toISOString(),
    ...overrides,
  });
}

/** A pid that belonged to a process which has exited. */
async function deadPid(): Promise<number> {
  const child = runScript('test/fixtures/lock-contender.ts', [], {});
  await new Promise((exited) => {
    child.once('exit', exited);
    child.kill('SIGKILL');
  });
  return child.pid!;
}

describe('many processes opening one embedded database at once', () => {
  const contenders: { child: ChildProcess; next: () => Promise<string> }[] = [];
  beforeAll(async () => {
    for (let n = 0; n < CONTENDERS; n++) {
      const child = runScript('test/fixtures/lock-contender.ts', [], {}, { stdin: true });
      contenders.push({ child, next: lineReader(child) });
    }
    for (const contender of contenders) expect(await contender.next()).toBe('ready');
  });
  afterAll(() => {
    for (const { child } of contenders) child.kill('SIGKILL');
  });

  it(`${CONTENDERS} processes × ${ROUNDS} rounds, half of them over a stale lock: exactly one holder every time`, async () => {
    const dead = await deadPid();
    const holdersPerRound: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const dataDir = join(dir, `race-${round}`);
      mkdirSync(dataDir);
      if (round % 2 === 1) writeFileSync(`${dataDir}.lock`, record({ pid: dead, processStart: null }));
      for (const { child } of contenders) child.stdin!.write(`take ${dataDir}\n`);
      const answers = await Promise.all(contenders.map(({ next }) => next()));
      const holders = answers.flatMap((answer, n) => (answer === 'held' ? [n] : []));
      holdersPerRound.push(holders.length);
      const holder = contenders[holders[0] ?? 0]!;
      for (const answer of answers.filter((a) => a !== 'held')) {
        expect(answer).toMatch(new RegExp(`^refused The embedded database .* is in use by process ${holder.child.pid} on this host`));
      }
      for (const n of holders) {
        contenders[n]!.child.stdin!.write('release\n');
        expect(await contenders[n]!.next()).toBe('released');
      }
    }
    expect(holdersPerRound).toEqual(Array(ROUNDS).fill(1));
  });
});

describe('a lock someone left behind', () => {
  const take = (name: string, lock?: string, ageMs = 0) => {
    const dataDir = join(dir, name);
    mkdirSync(dataDir, { recursive: true });
    if (lock !== undefined) {
      writeFileSync(`${dataDir}.lock`, lock);
      const then = new Date(Date.now() - ageMs);
      utimesSync(`${dataDir}.lock`, then, then);
    }
    return () => lockDataDirectory(dataDir);
  };

  it('is taken over when its pid now belongs to another process (a recycled pid)', () => {
    // This very process is alive, but started at another time than the holder did.
    const lock = take('recycled', record({ processStart: '1' }))();
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).processStart).not.toBe('1');
    lock.release();
  });

  it('is taken over when it was written before the machine rebooted', () => {
    take('rebooted', record({ bootId: 'a-boot-before-this-one' }))().release();
  });

  it('is refused while its holder runs, naming the holder', () => {
    const open = take('alive', record({}));
    expect(open).toThrow(DatabaseLockedError);
    expect(open).toThrow(new RegExp(`in use by process ${process.pid} on this host \\(${hostname()}\\) \\("a test"`));
  });

  it('from another host: refused while refreshed, naming host, pid and how to recover; taken over once stale', () => {
    const fresh = take('other-host', record({ hostname: 'container-7f3a', pid: 1 }));
    expect(fresh).toThrow(DatabaseLockedError);
    const lockPath = join(realDirectory(join(dir, 'other-host'))) + '.lock';
    let message = '';
    try {
      fresh();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('in use by process 1 on host "container-7f3a"');
    expect(message).toContain(`this is host "${hostname()}"`);
    expect(message).toContain(
      `If host "container-7f3a" is gone (a container that was re-created), the lock is taken over once it is ${STALE_AFTER_MS / 1000} s old, or remove ${lockPath} now`,
    );

    take('other-host', record({ hostname: 'container-7f3a', pid: 1 }), STALE_AFTER_MS + 1_000)().release();
  });

  it('is kept fresh by its holder even while the main thread is blocked (PGlite runs queries on it)', () => {
    const lock = take('heartbeat')();
    try {
      const long_ago = new Date(Date.now() - 10 * 60_000);
      utimesSync(lock.path, long_ago, long_ago);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, HEARTBEAT_MS + 1_000);
      expect(Date.now() - statSync(lock.path).mtimeMs).toBeLessThan(HEARTBEAT_MS + 1_000);
    } finally {
      lock.release();
    }
  });
});

describe('a symlinked data directory', () => {
  it('has one lock for every name it goes by', () => {
    const real = join(dir, 'real-pglite');
    const alias = join(dir, 'pglite-alias');
    mkdirSync(real);
    symlinkSync(real, alias);
    const lock = lockDataDirectory(alias);
    try {
      expect(lock.path).toBe(`${realDirectory(real)}.lock`);
      expect(() => lockDataDirectory(real)).toThrow(DatabaseLockedError);
    } finally {
      lock.release();
    }
    const again = lockDataDirectory(real);
    expect(() => lockDataDirectory(alias)).toThrow(DatabaseLockedError);
    again.release();
  });
});
