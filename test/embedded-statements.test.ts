// Prisma's statements kept prepared in the embedded database (src/db/embedded-statements.ts):
// the same answers as PGlite's own query, a bounded number kept, none outliving a schema change.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreparedStatements, withPreparedStatements } from '../src/db/embedded-statements.js';

let pglite: PGlite;
beforeAll(async () => {
  pglite = await PGlite.create();
  await pglite.exec(`CREATE TABLE place (id serial PRIMARY KEY, name text NOT NULL UNIQUE, seen timestamptz, tags text[]);
    INSERT INTO place (name, seen, tags) VALUES ('Goma', '2024-01-02 03:04:05+00', '{a,b}'), ('Bunia', NULL, '{}')`);
});
afterAll(() => pglite.close());

const preparedNames = async () => (await pglite.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')).rows.map((r) => r.name);

describe('statements kept prepared in the embedded database', () => {
  it("answers as PGlite's own query does, rows, types, affected rows and errors", async () => {
    const client = withPreparedStatements(pglite);
    const sql = 'SELECT id, name, seen, tags FROM place WHERE name = ANY($1) ORDER BY id';
    for (let i = 0; i < 2; i++) {
      // the first run prepares it, the second runs the kept statement
      expect(await client.query(sql, [['Goma', 'Bunia']], { rowMode: 'array' })).toEqual(await pglite.query(sql, [['Goma', 'Bunia']], { rowMode: 'array' }));
    }
    const update = 'UPDATE place SET seen = $1 WHERE name = $2';
    expect((await client.query(update, [new Date('2025-05-06T07:08:09Z'), 'Bunia'])).affectedRows).toBe(1);
    expect((await client.query(update, [null, 'Nowhere'])).affectedRows).toBe(0);
    const insert = 'INSERT INTO place (name) VALUES ($1) RETURNING id';
    const error = await client.query(insert, ['Goma']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '23505', query: insert });
    // the statement that failed still runs (and nothing else broke)
    expect((await client.query<{ id: number }>(insert, ['Uvira'])).rows).toHaveLength(1);
    expect((await client.query<{ n: number }>('SELECT count(*)::int AS n FROM place')).rows).toEqual([{ n: 3 }]);
  });

  it('runs in a transaction, and a query outside waits until it ends', async () => {
    const client = withPreparedStatements(pglite);
    let outsideSaw: number | null = null;
    let outside: Promise<void> | undefined;
    await client.transaction(async (tx) => {
      await tx.query("INSERT INTO place (name) VALUES ('Kisangani')");
      outside = client.query<{ n: number }>("SELECT count(*)::int AS n FROM place WHERE name = 'Kisangani'").then((r) => {
        outsideSaw = r.rows[0]!.n;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(outsideSaw).toBeNull();
      await tx.rollback();
    });
    await outside;
    expect(outsideSaw).toBe(0);
  });

  it('keeps at most its limit, the least recently used dropped first', async () => {
    await pglite.exec('DEALLOCATE ALL');
    const statements = new PreparedStatements(pglite, 2);
    const run = (sql: string) => pglite.runExclusive(() => statements.run(sql, [], undefined, false));
    await run('SELECT 1');
    await run('SELECT 2');
    await run('SELECT 1'); // used again: SELECT 2 is now the oldest
    await run('SELECT 3');
    expect(statements.size).toBe(2);
    expect((await run('SELECT 4')).rows).toEqual([{ '?column?': 4 }]);
    // closed in PostgreSQL too: only the two kept (SELECT 3 and SELECT 4) remain there
    expect(await preparedNames()).toHaveLength(2);
  });

  it('drops every kept statement after a schema change, so a statement prepared before it answers with the new columns', async () => {
    const client = withPreparedStatements(pglite);
    const sql = "SELECT * FROM place WHERE name = 'Goma'";
    expect((await client.query(sql)).fields.map((f) => f.name)).toEqual(['id', 'name', 'seen', 'tags']);

    // through the prepared path (Prisma's $executeRaw) …
    await client.query('ALTER TABLE place ADD COLUMN region text');
    expect((await client.query(sql)).fields.map((f) => f.name)).toEqual(['id', 'name', 'seen', 'tags', 'region']);

    // … and as a script (a migration)
    await client.exec('ALTER TABLE place DROP COLUMN seen; ALTER TABLE place ALTER COLUMN name TYPE varchar(100)');
    const after = await client.query(sql);
    expect(after.fields.map((f) => f.name)).toEqual(['id', 'name', 'tags', 'region']);
    expect(after.rows).toEqual([{ id: 1, name: 'Goma', tags: ['a', 'b'], region: null }]);
  });
});
