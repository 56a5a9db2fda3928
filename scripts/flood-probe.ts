// The flood of issue 16: `nodes(ids:)` with tens of thousands of IDs, several at once, while a
// load balancer keeps asking `/health`. Starts a gateway process (the checkout at --root, this
// one by default) on a fresh in-memory PGlite, or on DATABASE_URL when set, and prints how long
// the floods took and how long `/health` went unanswered.
//
//   npx tsx scripts/flood-probe.ts [--ids 45000] [--floods 3] [--root <checkout>]
import { resolve } from 'node:path';
import { GATEWAY_LISTENING, LOAD_TEST_ENV, startServerProcess } from './lib/server-process.js';
import { scriptOptions } from './lib/script-options.js';

const values = scriptOptions('npx tsx scripts/flood-probe.ts [options]: nodes(ids:) floods while /health is asked.', {
  ids: { type: 'string', default: '45000', description: 'IDs per flood' },
  floods: { type: 'string', default: '3', description: 'floods at once' },
  root: { type: 'string', default: '.', description: 'the checkout whose gateway to start' },
});
const idCount = Number(values.ids);
const floods = Number(values.floods);
const root = resolve(values.root);

const gateway = await startServerProcess(
  resolve(root, 'src/server.ts'),
  { ...LOAD_TEST_ENV, DATABASE_URL: process.env.DATABASE_URL ?? 'memory:' },
  GATEWAY_LISTENING,
);
try {
  // IDs of every kind of object, most of them of rows that do not exist: ~0.9 MB at 45,000.
  const types = ['Figure', 'Statement', 'Place', 'Incident'];
  const ids = Array.from({ length: idCount }, (_, n) => Buffer.from(`${types[n % types.length]}:${n + 1}`).toString('base64'));
  const body = JSON.stringify({ query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids } });

  const health: number[] = [];
  let polling = true;
  const poll = (async () => {
    while (polling) {
      const started = performance.now();
      await fetch(`${gateway.url}/health`).then((response) => response.arrayBuffer());
      health.push(performance.now() - started);
      await new Promise((wait) => setTimeout(wait, 25));
    }
  })();
  await new Promise((wait) => setTimeout(wait, 500)); // a baseline before the flood

  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: floods }, async () => {
      const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const answer = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
      return { status: response.status, ms: performance.now() - started, error: answer.errors?.[0] };
    }),
  );
  await new Promise((wait) => setTimeout(wait, 500));
  polling = false;
  await poll;

  const sorted = [...health].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(0);
  console.log(`${floods} × nodes(ids:) with ${idCount.toLocaleString('en')} IDs (${(body.length / 1e6).toFixed(2)} MB each), ${root}`);
  for (const result of results) {
    console.log(
      `  HTTP ${result.status} after ${(result.ms / 1000).toFixed(2)} s${result.error ? `: ${result.error.extensions?.code ?? ''} ${result.error.message.slice(0, 100)}` : ''}`,
    );
  }
  console.log(`  /health: ${health.length} answers, median ${at(0.5)} ms, p99 ${at(0.99)} ms, longest ${sorted.at(-1)!.toFixed(0)} ms`);
} finally {
  await gateway.stop();
}
