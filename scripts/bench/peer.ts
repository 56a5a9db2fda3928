// PostGraphile v5 on the database DATABASE_URL names, as its own process for the benchmark.
import { startPostGraphile } from './postgraphile.js';

const peer = await startPostGraphile({ connectionString: process.env.DATABASE_URL! });
console.log(`peer listening on ${new URL(peer.url).host}`);
process.on('SIGTERM', () => peer.close().then(() => process.exit(0)));
