// SIGTERM under load, to a real gateway process: every connection the gateway accepted is
// answered (served, or refused with 503 and `Connection: close`), none is reset, so a client
// always knows whether its write happened. Clients open a connection per request and reuse
// keep-alive connections, reading and writing, before, during and after the signal.
import { request, Agent, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { runScript, waitForLine } from './support/processes.js';
import { databaseUrl, dropDatabase, uniqueName, withServer } from './support/templates.js';

interface Outcome {
  client: number;
  write: string | null;
  status: number | null;
  connection: string | undefined;
  error: string | null;
  created: boolean;
}

/** One request on its own connection (`agent` null) or on a keep-alive connection. */
function send(
  port: number,
  agent: Agent | false,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string } | { error: string }> {
  return new Promise((settle) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => settle({ status: res.statusCode!, headers: res.headers, body: text }));
        res.on('error', (error: NodeJS.ErrnoException) => settle({ error: error.code ?? error.message }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => settle({ error: error.code ?? error.message }));
    req.end(body);
  });
}

describe('SIGTERM to a gateway process under load', () => {
  const template = inject('template');
  const dir = mkdtempSync(join(tmpdir(), 'gateway-drain-'));
  const serverDatabase = template.backend === 'postgres' ? uniqueName('gateway_drain') : null;
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (serverDatabase && template.backend === 'postgres') await dropDatabase(template.serverUrl, serverDatabase);
  });

  it('answers every connection it accepted (or refuses it with 503 and Connection: close), resets none, and every acknowledged write is there', async () => {
    const dataDir = join(dir, 'pglite');
    let url = `file:${dataDir}`;
    if (template.backend === 'postgres') {
      await withServer(template.serverUrl, (client) => client.query(`CREATE DATABASE "${serverDatabase}" TEMPLATE "${template.template}"`));
      url = databaseUrl(template.serverUrl, serverDatabase!);
    }
    const server = runScript('src/server.ts', [], {
      DATABASE_URL: url,
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_IP: '1000000',
      RATE_LIMIT_PER_KEY: '1000000',
    });
    const exited = new Promise<number | null>((done) => server.once('exit', (code) => done(code)));
    const port = Number((await waitForLine(server, /localhost:(\d+)\/graphql/))[1]);
    // Writes go in as the local operator (PGlite) or with a key made for the test (PostgreSQL).
    let writer: Record<string, string>;
    if (template.backend === 'pglite') {
      writer = { authorization: `Bearer local:${(JSON.parse(readFileSync(`${dataDir}.gateway.json`, 'utf8')) as { token: string }).token}` };
    } else {
      const { createApiKey } = await import('../src/auth/keys.js');
      const db = await openDatabase({ kind: 'postgres', url, poolSize: 1 });
      writer = { authorization: `Bearer ${(await createApiKey(db.prisma, 'drain writer', ['WRITE'])).secret}` };
      await db.close();
    }

    const read = JSON.stringify({
      query: '{ discrepancies(first: 5) { edges { node { metric side ratio } } } statements(first: 20) { totalCount edges { node { text } } } }',
    });
    const outcomes: Outcome[] = [];
    let running = true;
    const clients = Array.from({ length: 32 }, async (_, client) => {
      // Half open a connection per request, half keep theirs alive; every fourth writes.
      const agent = client % 2 === 0 ? false : new Agent({ keepAlive: true, maxSockets: 1 });
      let refusals = 0;
      for (let n = 0; running; n++) {
        const write = client % 4 === 3 ? `drain ${client}.${n}` : null;
        const body = write ? JSON.stringify({ query: `mutation { createPlace(input: { name: "${write}", kind: SITE }) { __typename } }` }) : read;
        const answer = await send(port, agent, body, write ? writer : {});
        if ('error' in answer) {
          outcomes.push({ client, write, status: null, connection: undefined, error: answer.error, created: false });
          // Refused: the listener has closed; the gateway is going away.
          if (answer.error === 'ECONNREFUSED') break;
        } else {
          const created =
            answer.status === 200 &&
            (JSON.parse(answer.body) as { data?: { createPlace?: { __typename: string } } }).data?.createPlace?.__typename === 'PlaceWritePayload';
          outcomes.push({ client, write, status: answer.status, connection: answer.headers.connection, error: null, created });
          // Told the gateway is going away: retry a few times, as a client would, then go elsewhere.
          if (answer.status === 503 && ++refusals > 3) break;
          if (answer.status === 503) await new Promise((pause) => setTimeout(pause, 50));
        }
      }
      if (agent) agent.destroy();
    });

    // Signal once the gateway is busy serving: answers are coming back, more are queued.
    for (let waited = 0; outcomes.length < 20 && waited < 60_000; waited += 20) await new Promise((load) => setTimeout(load, 20));
    const beforeSignal = outcomes.length;
    server.kill('SIGTERM');
    const code = await exited;
    running = false;
    await Promise.all(clients);

    const resets = outcomes.filter((o) => o.error && o.error !== 'ECONNREFUSED');
    const refused503 = outcomes.filter((o) => o.status === 503);
    const served = outcomes.filter((o) => o.status === 200);
    console.log(
      `SIGTERM (${template.backend}) after ${beforeSignal} answers: ${served.length} served, ${refused503.length} refused with 503, ` +
        `${outcomes.filter((o) => o.error === 'ECONNREFUSED').length} connections refused after the listener closed, ${resets.length} reset` +
        (resets.length ? ` (${[...new Set(resets.map((r) => r.error))].join(', ')})` : '') +
        `; ${outcomes.filter((o) => o.created).length} writes acknowledged; exit ${code}`,
    );
    expect(resets).toEqual([]);
    expect(code).toBe(0);
    expect(outcomes.filter((o) => o.status !== null && o.status !== 200 && o.status !== 503)).toEqual([]);
    for (const refusal of refused503) expect(refusal.connection).toBe('close');
    expect(served.length).toBeGreaterThan(0);

    // Every write the gateway acknowledged is there; none it refused is.
    const db = template.backend === 'pglite' ? await openDatabase({ kind: 'pglite', dataDir }) : await openDatabase({ kind: 'postgres', url, poolSize: 1 });
    try {
      const stored = new Set((await db.prisma.place.findMany({ where: { name: { startsWith: 'drain ' } }, select: { name: true } })).map((p) => p.name));
      const acknowledged = outcomes.filter((o) => o.created).map((o) => o.write!);
      expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
      expect(refused503.filter((o) => o.write && stored.has(o.write))).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
