// The local operator (the command line beside a gateway that holds the embedded database) is an
// admin by a token: accepted only on a direct loopback connection, and not rate-limited like the
// public, so a flood from 127.0.0.1 cannot stop the operator from revoking the key behind it.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { createGateway } from '../src/http/gateway.js';
import { openTestDatabase } from './support/gateway.js';
import { finished, runScript, waitForLine } from './support/processes.js';

const TOKEN = 'a-local-token-of-the-usual-length-00000000';
const local = { authorization: `Bearer local:${TOKEN}` };

/** An address of this machine other than loopback, to reach the gateway as a remote client would. */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

describe('the local operator', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let server: Server;
  let handler: ReturnType<typeof createGateway>;
  let port: number;

  beforeAll(async () => {
    ({ db, drop } = await openTestDatabase());
    const config = { ...loadConfig({}), rateLimit: { ...loadConfig({}).rateLimit, perIp: 10, perKey: 6 } };
    handler = createGateway(db, config, { localAdminToken: TOKEN });
    server = createServer(handler);
    await new Promise<void>((listening) => server.listen(0, '0.0.0.0', listening));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((closed) => server?.close(closed));
    await handler?.dispose();
    await db?.close();
    await drop?.();
  });

  const post = (host: string, query: string, headers: Record<string, string> = {}) =>
    fetch(`http://${host}:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

  it('is an admin over loopback', async () => {
    const response = await post('127.0.0.1', '{ apiKeys { name } }', local);
    expect(response.status).toBe(200);
    expect((await response.json()).errors).toBeUndefined();
  });

  it('is refused from another address, even with the right token', async () => {
    if (!outside) throw new Error('this machine has no non-loopback IPv4 address to test from');
    const response = await post(outside, '{ apiKeys { name } }', local);
    expect(response.status).toBe(401);
    expect((await response.json()).errors[0]).toMatchObject({
      message: expect.stringMatching(/accepted only on a direct connection from this machine/),
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('is refused through a proxy on this machine (the request carries forwarding headers)', async () => {
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via']) {
      const response = await post('127.0.0.1', '{ apiKeys { name } }', { ...local, [header]: header === 'forwarded' ? 'for=203.0.113.9' : '203.0.113.9' });
      expect(response.status, header).toBe(401);
    }
  });

  it('refuses a wrong token, of the same length or not, as an unknown key', async () => {
    for (const token of [TOKEN.replace(/.$/, '1'), TOKEN.slice(1), `${TOKEN}0`, '']) {
      const response = await post('127.0.0.1', '{ apiKeys { name } }', { authorization: `Bearer local:${token}` });
      expect(response.status, token).toBe(401);
      expect((await response.json()).errors[0].message).toMatch(/The API key is not valid/);
    }
  });

  it('is not rate-limited like the public: after a flood from 127.0.0.1 it still revokes the key', async () => {
    // Loopback may send 10 requests a minute (the tests above sent 8): a flood uses up the rest.
    const flood = await Promise.all(Array.from({ length: 20 }, () => post('127.0.0.1', '{ __typename }')));
    expect(flood.map((response) => response.status)).toContain(429);
    const { key, secret } = await createApiKey(db.prisma, 'flooding partner', ['READ']);
    const keyFlood = await Promise.all(Array.from({ length: 10 }, () => post(outside ?? '127.0.0.1', '{ __typename }', { authorization: `Bearer ${secret}` })));
    expect(keyFlood.map((response) => response.status)).toContain(429);

    for (let n = 0; n < 10; n++) expect((await post('127.0.0.1', '{ apiKeys { name } }', local)).status).toBe(200);
    const id = Buffer.from(`ApiKey:${key.id}`).toString('base64');
    const revoked = await post('127.0.0.1', `mutation { revokeApiKey(id: "${id}") { revokedAt } }`, local);
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).data.revokeApiKey.revokedAt).toBeTruthy();
  });
});

describe.runIf(inject('template').backend === 'pglite')('the command line beside a flooded gateway process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-operator-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("creates and revokes keys through the gateway after the public has used up loopback's limit", async () => {
    const env = { DATABASE_URL: `file:${join(dir, 'pglite')}`, PORT: '0', HOST: '127.0.0.1', RATE_LIMIT_PER_IP: '5', LOG_LEVEL: 'warn' };
    const server = runScript('src/server.ts', [], env);
    try {
      const [, port] = await waitForLine(server, /localhost:(\d+)\/graphql/);
      const statuses = [];
      for (let n = 0; n < 8; n++) {
        statuses.push(
          (
            await fetch(`http://127.0.0.1:${port}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: '{"query":"{ __typename }"}',
            })
          ).status,
        );
      }
      expect(statuses.slice(-3)).toEqual([429, 429, 429]);

      const created = await finished(runScript('src/cli/keys.ts', ['create', '--name', 'after the flood', '--scope', 'read'], env));
      expect(created.output).toContain('going through it');
      expect(created.code).toBe(0);
      const id = /Created key (\S+)/.exec(created.output)![1]!;
      const revoked = await finished(runScript('src/cli/keys.ts', ['revoke', id], env));
      expect(revoked.code, revoked.output).toBe(0);
      expect(revoked.output).toContain(`Revoked key ${id}`);
    } finally {
      server.kill('SIGTERM');
      await new Promise((exited) => server.once('exit', exited));
    }
  });
});
