// Prisma's statements kept prepared in PGlite. PGlite's own `query` parses every statement again
// and talks to PostgreSQL in six protocol rounds (parse, describe, bind, describe, execute, sync),
// each a pass of PostgreSQL's main loop; Prisma sends the same few hundred SQL texts over and
// over. Here a text is parsed once into a named statement and then runs in one round (bind,
// execute, sync), its row description remembered from the first time. Rounds go through
// execProtocolStream: the parsed messages only (execProtocol also copies out the raw reply).
import { type PGlite, type QueryOptions, type Results, type Transaction, messages, parse, protocol, types } from '@electric-sql/pglite';

/** How many statements stay prepared; the least recently used one goes first. */
export const KEPT_STATEMENTS = 200;

type Field = Results['fields'][number];
type Parsers = NonNullable<QueryOptions['parsers']>;

interface Prepared {
  name: string;
  paramTypes: number[];
  /** The columns it returns (none for a statement without rows). */
  fields: Field[];
}

const fieldsOf = (replies: messages.BackendMessage[]): Field[] =>
  replies
    .find((reply): reply is messages.RowDescriptionMessage => reply.name === 'rowDescription')
    ?.fields.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID })) ?? [];

/** Rows a command reports (PGlite's rule: INSERT's count is its third word, the others' second). */
function affectedRows(tag: string): number {
  const words = tag.split(' ');
  if (words[0] === 'INSERT') return Number.parseInt(words[2]!, 10);
  return ['UPDATE', 'DELETE', 'COPY', 'MERGE'].includes(words[0]!) ? Number.parseInt(words[1]!, 10) : 0;
}

const { serialize } = protocol;
/** Names are unique in the process: two sets of kept statements on one PGlite never collide. */
let lastName = 0;

function joined(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

/**
 * Only data statements are kept. Any other one (CREATE, ALTER, DROP, a migration's script) may
 * change what a kept statement means (its columns, its parameters' types: PostgreSQL then answers
 * "cached plan must not change result type"), so after it every kept statement is dropped.
 */
const DATA_STATEMENT = /^(?:\s+|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:select|insert|update|delete|with|values)\b/i;

export class PreparedStatements {
  readonly #pglite: PGlite;
  readonly #limit: number;
  /** By SQL text, least recently used first (a Map keeps insertion order). */
  readonly #kept = new Map<string, Prepared>();
  /** Statements dropped but not yet closed in PostgreSQL: closed in the next round. */
  #toClose: string[] = [];
  /** PGlite's parsers with a query's own over them, by the query's (Prisma's one object). */
  #parsers = new WeakMap<Parsers, Parsers>();

  constructor(pglite: PGlite, limit = KEPT_STATEMENTS) {
    this.#pglite = pglite;
    this.#limit = limit;
  }

  /** How many statements are kept prepared now. */
  get size(): number {
    return this.#kept.size;
  }

  /** Forgets every kept statement (after anything that may have changed the schema). */
  dropAll(): void {
    for (const { name } of this.#kept.values()) this.#toClose.push(name);
    this.#kept.clear();
    this.#parsers = new WeakMap(); // a schema change may have added types
  }

  /**
   * PGlite's `query` through kept statements. The caller holds PGlite's query lock (and, outside
   * a transaction, its transaction lock) as PGlite's own `query` does.
   */
  async run<T>(sql: string, params: unknown[], options: QueryOptions | undefined, inTransaction: boolean): Promise<Results<T>> {
    const pglite = this.#pglite;
    const syncToFs = !inTransaction;
    try {
      if (!DATA_STATEMENT.test(sql)) {
        this.dropAll();
        const result = await this.#runUnnamed<T>(sql, params, options, syncToFs);
        this.dropAll(); // and what it may have prepared since
        return result;
      }
      let prepared = this.#kept.get(sql);
      if (prepared) {
        this.#kept.delete(sql); // moved to the most recently used end
        this.#kept.set(sql, prepared);
      } else prepared = await this.#prepare(sql, options);
      const replies = await pglite.execProtocolStream(
        joined([
          this.#closes(),
          serialize.bind({ statement: prepared.name, values: this.#values(params, prepared.paramTypes, options) }),
          serialize.execute({}),
          serialize.sync(),
        ]),
        { syncToFs },
      );
      return this.#results<T>(prepared.fields, replies, options);
    } catch (error) {
      // As PGlite's own query reports a database error: with the statement that failed.
      if (error instanceof messages.DatabaseError) Object.assign(error, { query: sql, params, queryOptions: options });
      throw error;
    }
  }

  async #prepare(sql: string, options: QueryOptions | undefined): Promise<Prepared> {
    const name = `prisma_${++lastName}`;
    const replies = await this.#pglite.execProtocolStream(
      joined([this.#closes(), serialize.parse({ name, text: sql, types: options?.paramTypes }), serialize.describe({ type: 'S', name }), serialize.sync()]),
      { syncToFs: false },
    );
    const prepared: Prepared = {
      name,
      paramTypes: parse.parseDescribeStatementResults(replies),
      fields: fieldsOf(replies),
    };
    this.#kept.set(sql, prepared);
    if (this.#kept.size > this.#limit) {
      const [oldest, { name: evicted }] = this.#kept.entries().next().value!;
      this.#kept.delete(oldest);
      this.#toClose.push(evicted);
    }
    return prepared;
  }

  /** A statement that is not kept: PGlite's own extended protocol, in two rounds. */
  async #runUnnamed<T>(sql: string, params: unknown[], options: QueryOptions | undefined, syncToFs: boolean): Promise<Results<T>> {
    const described = await this.#pglite.execProtocolStream(
      joined([this.#closes(), serialize.parse({ text: sql, types: options?.paramTypes }), serialize.describe({ type: 'S' }), serialize.sync()]),
      { syncToFs: false },
    );
    const paramTypes = parse.parseDescribeStatementResults(described);
    const replies = await this.#pglite.execProtocolStream(
      joined([
        serialize.parse({ text: sql, types: options?.paramTypes }),
        serialize.bind({ values: this.#values(params, paramTypes, options) }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs },
    );
    return this.#results<T>(fieldsOf(replies), replies, options);
  }

  /** Close messages for the statements dropped since the last round. */
  #closes(): Uint8Array {
    if (this.#toClose.length === 0) return new Uint8Array(0);
    const closes = joined(this.#toClose.map((name) => serialize.close({ type: 'S', name })));
    this.#toClose = [];
    return closes;
  }

  /** Parameters as PGlite's own query serializes them: by the type PostgreSQL inferred. */
  #values(params: unknown[], paramTypes: number[], options: QueryOptions | undefined): (string | null)[] {
    const serializers = this.#pglite.serializers;
    return params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const serializer = options?.serializers?.[paramTypes[i]!] ?? serializers[paramTypes[i]!];
      return serializer ? serializer(param) : String(param);
    });
  }

  /**
   * The rows of one statement's replies, as PGlite's parseResults makes them, without its cost:
   * it copies PGlite's parsers (one per type, arrays included) into a new object for each query.
   */
  #results<T>(fields: Field[], replies: messages.BackendMessage[], options: QueryOptions | undefined): Results<T> {
    const parsers = this.#parsersFor(options?.parsers);
    const arrays = options?.rowMode === 'array';
    const rows: unknown[] = [];
    let affected = 0;
    for (const reply of replies) {
      if (reply.name === 'dataRow') {
        const values = (reply as messages.DataRowMessage).fields.map((value, i) => types.parseType(value, fields[i]!.dataTypeID, parsers));
        rows.push(arrays ? values : Object.fromEntries(fields.map((field, i) => [field.name, values[i]])));
      } else if (reply.name === 'commandComplete') affected += affectedRows((reply as messages.CommandCompleteMessage).text);
    }
    return { rows: rows as T[], fields, affectedRows: affected };
  }

  #parsersFor(own: Parsers | undefined): Parsers {
    if (!own) return this.#pglite.parsers;
    let merged = this.#parsers.get(own);
    if (!merged) this.#parsers.set(own, (merged = { ...this.#pglite.parsers, ...own }));
    return merged;
  }
}

/**
 * PGlite as the Prisma adapter uses it (query, exec, transaction), with `query` through kept
 * statements, under PGlite's own locks: a query waits for an open transaction, as PGlite's does.
 * A script (exec: a migration's) drops every kept statement, before it and after it.
 */
export function withPreparedStatements(pglite: PGlite, statements = new PreparedStatements(pglite)): PGlite {
  const exclusive = <T>(fn: () => Promise<T>) => pglite.runExclusive(fn);
  const script = async (exec: () => Promise<Results[]>) => {
    statements.dropAll();
    try {
      return await exec();
    } finally {
      statements.dropAll();
    }
  };
  const inTransaction = (tx: Transaction): Transaction =>
    Object.create(tx, {
      query: {
        value: <T>(sql: string, params: unknown[] = [], options?: QueryOptions) => {
          if (tx.closed) return Promise.reject(new Error('Transaction is closed'));
          return exclusive(() => statements.run<T>(sql, params, options, true));
        },
      },
      exec: { value: (sql: string, options?: QueryOptions) => script(() => tx.exec(sql, options)) },
    }) as Transaction;
  const client: Pick<PGlite, 'query' | 'exec' | 'transaction'> = {
    async query<T>(sql: string, params: unknown[] = [], options?: QueryOptions) {
      await pglite._checkReady(); // as PGlite's query: refused once closing
      return pglite._runExclusiveTransaction(() => exclusive(() => statements.run<T>(sql, params, options, false)));
    },
    exec: (sql, options) => script(() => pglite.exec(sql, options)),
    transaction: (callback) => pglite.transaction((tx) => callback(inTransaction(tx))),
  };
  return client as PGlite; // all the Prisma adapter calls
}
