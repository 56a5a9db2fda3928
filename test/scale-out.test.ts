// Scaling out: two gateway processes on one PostgreSQL database and one Redis, started as an
// operator would (`src/server.ts` with REDIS_URL and the response cache on). A write through
// instance A is read fresh on instance B at once (B's cached answer is retired through Redis),
// B's live-feed subscribers see A's writes, and both serve reads at the same time.
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { bearer, type GraphQLResponse } from './support/gateway.js';
import { runScript, waitForLine } from './support/processes.js';
import { redisAvailable, redisUrl } from './support/redis.js';
import { DISCREPANCIES, hospitalClaim, RECORD, securityDeaths } from './support/security-deaths.js';
import { databaseUrl, dropDatabase, uniqueName, withServer } from './support/templates.js';

const redisUp = await redisAvailable('the scale-out test');

type Answer = GraphQLResponse & { extensions?: { sqlStatements?: number; responseCache?: { hit: boolean; didCache?: boolean } } };

interface Instance {
  url: string;
  process: ChildProcess;
}

async function post(instance: Instance, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${instance.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
}

async function start(env: Record<string, string>): Promise<Instance> {
  const child = runScript('src/server.ts', [], env);
  const [, port] = await waitForLine(child, /GraphQL gateway on http:\/\/localhost:(\d+)\/graphql/);
  const instance = { url: `http://127.0.0.1:${port}`, process: child };
  // The response cache's Redis connection is up once an answer is kept (or served from Redis).
  await vi.waitFor(
    async () => {
      const { responseCache } = (await post(instance, '{ __typename }')).extensions ?? {};
      expect(responseCache?.didCache || responseCache?.hit).toBe(true);
    },
    { timeout: 15_000 },
  );
  return instance;
}

async function stop(instance: Instance) {
  if (instance.process.exitCode !== null) return;
  const exited = new Promise((done) => instance.process.once('exit', done));
  instance.process.kill('SIGTERM');
  await exited;
}

/** A live-feed subscription over server-sent events; `next` resolves with the next event's payload. */
async function subscribe(instance: Instance, query: string, variables: Record<string, unknown>) {
  const abort = new AbortController();
  const response = await fetch(`${instance.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    async next(): Promise<Answer> {
      for (;;) {
        const event = /event: next\ndata: (.*)\n\n/.exec(buffer);
        if (event) {
          buffer = buffer.slice(event.index + event[0].length);
          return JSON.parse(event[1]!) as Answer;
        }
        const read = await reader.read();
        if (read.done) throw new Error('The event stream ended');
        buffer += read.value;
      }
    },
    close: () => abort.abort(),
  };
}

describe.runIf(inject('template').backend === 'postgres' && redisUp)(`two gateway instances, one PostgreSQL database, one Redis (${redisUrl})`, () => {
  const template = inject('template') as { serverUrl: string; template: string };
  const name = uniqueName('scale_out_test');
  let db: Database;
  let a: Instance;
  let b: Instance;
  let writer: Record<string, string>;
  let incident: string;
  let source: string;

  beforeAll(async () => {
    await withServer(template.serverUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template.template}"`));
    const url = databaseUrl(template.serverUrl, name);
    db = await openDatabase({ kind: 'postgres', url, poolSize: 2 });
    writer = bearer((await createApiKey(db.prisma, 'scale-out writer', ['WRITE'])).secret);
    const env = {
      DATABASE_URL: url,
      REDIS_URL: redisUrl,
      RESPONSE_CACHE_TTL_MS: '60000',
      RESPONSE_CACHE_KEY_PREFIX: `test-${randomUUID()}`, // this run's own answers
      PORT: '0',
      HOST: '127.0.0.1',
      SEED_WHEN_EMPTY: 'false',
      REPORT_SQL_STATEMENTS: 'true',
      RATE_LIMIT_PER_IP: '1000000', // counted in Redis, shared with everything else on this machine
      LOG_LEVEL: 'warn',
    };
    [a, b] = await Promise.all([start(env), start(env)]);
    const ids = await post(a, `{ ${DISCREPANCIES.slice(1, -1)} sources(first: 1) { edges { node { id } } } }`);
    incident = securityDeaths(ids.data).incident.id;
    source = ids.data.sources.edges[0].node.id;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map(stop));
    await db?.close();
    await dropDatabase(template.serverUrl, name);
  });

  const statement = (text: string, killed: number) => hospitalClaim(text, killed, { incident, source });

  it('shares cached answers: a write through A is read fresh on B at once', async () => {
    const onA = await post(a, DISCREPANCIES);
    expect(onA.errors).toBeUndefined();
    const onB = await post(b, DISCREPANCIES);
    expect(onB.extensions).toEqual({ responseCache: { hit: true }, sqlStatements: 0 }); // A's answer, kept in Redis
    expect(securityDeaths(onB.data).highest).toBe(84);

    const recorded = await post(a, RECORD, { input: statement('Hospital officials said 120 soldiers and policemen were killed.', 120) }, writer);
    expect(recorded.data?.recordStatement.__typename).toBe('RecordPayload');

    const afterOnB = await post(b, DISCREPANCIES);
    expect(afterOnB.extensions?.responseCache).toMatchObject({ hit: false });
    expect(securityDeaths(afterOnB.data).highest).toBe(120);
  });

  it("delivers A's writes to B's live-feed subscribers", async () => {
    const feed = await subscribe(
      b,
      `subscription($filter: ClaimEventFilter) { claimEvents(filter: $filter) { kind statement { text } figure { quantity { low } } } }`,
      { filter: { incident } },
    );
    try {
      const text = `Written through instance A (${randomUUID()}).`;
      const recorded = await post(a, RECORD, { input: statement(text, 7) }, writer);
      expect(recorded.data?.recordStatement.__typename).toBe('RecordPayload');
      // The feed's channel is the deployment's: skip anything another gateway on this Redis wrote.
      let event = (await feed.next()).data!.claimEvents;
      while (event.statement.text !== text) event = (await feed.next()).data!.claimEvents;
      expect(event).toEqual({ kind: 'CLAIMED', statement: { text }, figure: { quantity: { low: 7 } } });
    } finally {
      feed.close();
    }
  });

  it('serves reads on both instances at the same time, cached or not', async () => {
    const ORGANISATIONS = `query($first: Int) { organisations(first: $first) { edges { node { name } } } }`;
    // Not cached yet: every read runs, on both instances at once, with one answer per page size.
    const running = await Promise.all(Array.from({ length: 20 }, (_, n) => post(n % 2 ? a : b, ORGANISATIONS, { first: 30 + n })));
    for (const [n, answer] of running.entries()) {
      expect(answer.errors).toBeUndefined();
      expect(answer.extensions?.responseCache?.hit).toBe(false);
      expect(answer.data.organisations.edges.length).toBeLessThanOrEqual(30 + n);
    }
    // Now cached: every read on either instance is answered from Redis.
    const cached = await Promise.all(Array.from({ length: 20 }, (_, n) => post(n % 2 ? a : b, ORGANISATIONS, { first: 30 + n })));
    for (const [n, answer] of cached.entries()) {
      expect(answer.extensions).toEqual({ responseCache: { hit: true }, sqlStatements: 0 });
      expect(answer.data).toEqual(running[n]!.data);
    }
  });
});
