// Test databases. Creating and migrating a database costs seconds, so each vitest run migrates
// and seeds one template per backend (global setup) and every test file starts from a copy:
// a PGlite data-directory dump loaded into a fresh in-memory instance, or a PostgreSQL
// `CREATE DATABASE … TEMPLATE …`.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type TemplateInfo = { backend: 'pglite'; dumpFile: string } | { backend: 'postgres'; serverUrl: string; template: string };

declare module 'vitest' {
  export interface ProvidedContext {
    template: TemplateInfo;
  }
}

/** The URL of database `name` on the server `serverUrl` points at. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function withServer<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
