// The command line and a running gateway share the embedded database safely: only one process
// may open it, so while a gateway holds it, commands go through the gateway instead. The
// gateway leaves `<dataDir>.gateway.json` (readable by its owner only) saying where it listens
// and the token that lets the local command line act as an admin.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { localBearer } from '../auth/local-operator.js';
import type { Config } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { DatabaseLockedError, realDirectory } from '../db/lock.js';
import { applyMigrations } from '../db/schema-engine.js';

export interface LocalGatewayFile {
  url: string;
  token: string;
  pid: number;
}

/** Beside the lock, under the data directory's real path: every name for the directory finds it. */
const fileFor = (dataDir: string) => `${realDirectory(dataDir)}.gateway.json`;

/** Called by the gateway once it listens; returns a function that removes the file again. */
export function announceLocalGateway(dataDir: string, url: string, token: string): () => void {
  const file = fileFor(dataDir);
  // `mode` applies only when the file is created: one left behind (by a killed gateway) could be
  // readable by others, so it goes first and the new one is created for the owner only.
  rmSync(file, { force: true });
  writeFileSync(file, JSON.stringify({ url, token, pid: process.pid } satisfies LocalGatewayFile), { mode: 0o600, flag: 'wx' });
  return () => rmSync(file, { force: true });
}

export function newLocalAdminToken(): string {
  return randomBytes(24).toString('base64url');
}

/** A GraphQL call to the local gateway, as the local admin. Throws on GraphQL errors. */
export async function localGraphQL<Data>(gateway: LocalGatewayFile, query: string, variables: object): Promise<Data> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${localBearer(gateway.token)}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join('; '));
  return body.data!;
}

export type Route = { kind: 'database'; db: Database } | { kind: 'gateway'; gateway: LocalGatewayFile };

/**
 * Opens the database directly when no gateway holds it; otherwise returns the running local
 * gateway to talk to. Says which on stderr, so the operator knows.
 */
export async function openDatabaseOrGateway(config: Config): Promise<Route> {
  try {
    const db = await openDatabase(config.database);
    await applyMigrations(db.adapterFactory);
    console.error(`Opened the database directly (${config.database.kind === 'pglite' ? config.database.dataDir : config.database.kind})`);
    return { kind: 'database', db };
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) throw error;
    let gateway: LocalGatewayFile;
    try {
      gateway = JSON.parse(readFileSync(fileFor(error.dataDir), 'utf8')) as LocalGatewayFile;
    } catch {
      throw error; // held by something that is not a gateway we can talk to
    }
    console.error(`The database is held by the running gateway (process ${gateway.pid}): going through it at ${gateway.url}`);
    return { kind: 'gateway', gateway };
  }
}
