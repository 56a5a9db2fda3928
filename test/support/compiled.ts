// Two gateways over one database, to compare compiled reads (src/reads/) with execution: one
// compiles what it can, the other executes every field. Falling back to execution hides a
// broken twin from any comparison, so what the compiling one logs is kept for the test to check.
import { createGateway } from '../../src/http/gateway.js';
import { createLogger } from '../../src/http/hardening.js';
import { synthesise } from '../../src/synth/synth.js';
import { type GraphQLResponse, startGateway, type TestGateway } from './gateway.js';

export interface Comparison {
  gateway: TestGateway;
  /** The gateway that executes every field. */
  executed: ReturnType<typeof createGateway>;
  /** The compiling gateway's log lines (warnings: a twin that failed and fell back). */
  logged: string[];
  /** The same request to both: the compiling gateway's answer and execution's. */
  both(query: string, variables?: Record<string, unknown>): Promise<{ compiled: GraphQLResponse; reference: GraphQLResponse }>;
  close(): Promise<void>;
}

/** A gateway over synthetic data (2,000 figures) with a compiling and an executing twin. */
export async function startComparison(): Promise<Comparison> {
  const gateway = await startGateway({ reportSqlStatements: true, rateLimit: { perKey: 1e9, perIp: 1e9, windowSeconds: 60, trustProxy: false } });
  await synthesise(gateway.db.prisma, { figures: 2000, seed: 7 });
  const logged: string[] = [];
  const executed = createGateway(gateway.db, { ...gateway.config, compiledReads: false });
  const compiling = createGateway(gateway.db, gateway.config, { logger: createLogger({ logLevel: 'warn' }, { write: (line: string) => logged.push(line) }) });
  const ask = async (target: typeof executed, query: string, variables: Record<string, unknown>) => {
    const response = await target.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse;
  };
  return {
    gateway,
    executed,
    logged,
    both: async (query, variables = {}) => ({ compiled: await ask(compiling, query, variables), reference: await ask(executed, query, variables) }),
    close: async () => {
      await Promise.all([compiling.dispose(), executed.dispose()]);
      await gateway.close();
    },
  };
}
