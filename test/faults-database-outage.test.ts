// The PostgreSQL server goes away and comes back: readiness turns red at once, requests fail
// fast with a clear error (no hang), and the gateway recovers by itself. The database is reached
// through a TCP proxy on loopback that the test stops (connections refused), blackholes
// (connections accepted, never answered) and restarts. PostgreSQL project only.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { createGateway } from '../src/http/gateway.js';
import { databaseUrl, dropDatabase, uniqueName, withServer } from './support/templates.js';

type Mode = 'forward' | 'blackhole';

/** A loopback TCP proxy in front of the PostgreSQL server that can be stopped and restarted. */
function tcpProxy(target: { host: string; port: number }) {
  let server: Server | null = null;
  let port = 0;
  let mode: Mode = 'forward';
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => (sockets.add(socket), socket.once('close', () => sockets.delete(socket)));
  return {
    get port() {
      return port;
    },
    async start(as: Mode = 'forward') {
      mode = as;
      server = createTcpServer((client) => {
        track(client);
        client.on('error', () => client.destroy());
        if (mode === 'blackhole') return; // accepted, never answered
        const upstream = connect(target.port, target.host);
        track(upstream);
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((listening) => server!.listen(port, '127.0.0.1', listening));
      port = (server!.address() as AddressInfo).port;
    },
    /** Stops listening and cuts every open connection: the database is gone. */
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((closed) => server?.close(closed));
      server = null;
    },
  };
}

describe('the PostgreSQL server goes away and comes back', () => {
  const template = inject('template');
  if (template.backend !== 'postgres') throw new Error('PostgreSQL project only (see serverOnly in vitest.config.ts)');
  const serverUrl = new URL(template.serverUrl);
  const proxy = tcpProxy({ host: serverUrl.hostname, port: Number(serverUrl.port || 5432) });
  const name = uniqueName('gateway_outage');
  let db: Database;
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    await withServer(template.serverUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template.template}"`));
    await proxy.start();
    const through = new URL(databaseUrl(template.serverUrl, name));
    through.hostname = '127.0.0.1';
    through.port = String(proxy.port);
    db = await openDatabase({ kind: 'postgres', url: through.toString(), poolSize: 4 });
    const server = createHttpServer(createGateway(db, { ...loadConfig({}), reportSqlStatements: true }));
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
      await db.close();
    };
  });
  afterAll(async () => {
    await close?.();
    await proxy.stop();
    await dropDatabase(template.serverUrl, name);
  });

  const timed = async <T>(run: () => Promise<T>) => {
    const started = performance.now();
    const value = await run();
    return { value, ms: performance.now() - started };
  };
  const ready = () =>
    timed(async () => {
      const response = await fetch(`${url}/ready`);
      return { status: response.status, body: (await response.json()) as { status: string; reason?: string } };
    });
  const query = () =>
    timed(async () => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ figures(first: 3) { totalCount edges { node { quantity { phrase } } } } }' }),
      });
      return { status: response.status, body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: any }[] } };
    });

  async function expectDown(how: string) {
    const r = await ready();
    expect(r.value.status).toBe(503);
    expect(r.value.body.status).toBe('unavailable');
    expect(r.ms).toBeLessThan(2_000);
    const q = await query();
    expect(q.ms).toBeLessThan(2_000);
    expect(q.value.status).toBeLessThan(600);
    expect(q.value.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/database is unavailable/),
      extensions: { code: 'DATABASE_UNAVAILABLE' },
    });
    console.log(
      `${how}: /ready 503 in ${r.ms.toFixed(0)} ms ("${r.value.body.reason?.slice(0, 80)}"); query failed in ${q.ms.toFixed(0)} ms with HTTP ${q.value.status}: "${q.value.body.errors?.[0]?.message.slice(0, 120)}"`,
    );
    return q.value.body.errors![0]!;
  }

  async function expectRecovered() {
    // The pool reconnects on its own: no restart, no manual step.
    const started = performance.now();
    let r = await ready();
    while (r.value.status !== 200 && performance.now() - started < 10_000) r = await ready();
    expect(r.value.status).toBe(200);
    const q = await query();
    expect(q.value.body.errors).toBeUndefined();
    expect(q.value.body.data.figures.totalCount).toBeGreaterThan(0);
    return performance.now() - started;
  }

  it('is ready and answers while the database is there', async () => {
    expect((await ready()).value.status).toBe(200);
    expect((await query()).value.body.data.figures.totalCount).toBeGreaterThan(0);
  });

  it('server stopped (connections refused): red at once, requests fail fast, recovers by itself', async () => {
    await proxy.stop();
    await expectDown('database stopped');
    await expectDown('database stopped (again)');
    await proxy.start();
    const ms = await expectRecovered();
    console.log(`database back: ready again after ${ms.toFixed(0)} ms`);
  });

  it('server unreachable (connections hang): red within the connect timeout, requests fail fast, recovers by itself', async () => {
    await proxy.stop();
    await proxy.start('blackhole');
    await expectDown('database unreachable');
    await proxy.stop();
    await proxy.start();
    const ms = await expectRecovered();
    console.log(`database reachable again: ready after ${ms.toFixed(0)} ms`);
  });
});
