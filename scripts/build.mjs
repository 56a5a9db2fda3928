// `npm run build`: compiles src/ to dist/ (same layout, so paths relative to a module, such as
// ../../prisma/seed, resolve as they do from src/) and copies the files modules read beside
// themselves (GraphQL documents). Then it writes the seed archive (dist/seed/seed-<hash>.tar.gz,
// src/seed/archive.ts) that `npm start` makes a new data directory from. tsc rather than a bundler: each module stays a module, and
// Node resolves `graphql` to one copy as it does under tsx (a bundle could hold a second one).
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
rmSync('dist', { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
for (const entry of readdirSync('src', { recursive: true, withFileTypes: true })) {
  if (entry.isFile() && !entry.name.endsWith('.ts')) {
    const from = join(entry.parentPath, entry.name);
    cpSync(from, join('dist', from.slice('src/'.length)));
  }
}
const archive = spawnSync(process.execPath, ['dist/cli/seed-archive.js'], { stdio: 'inherit', env: { ...process.env, LOG_LEVEL: 'warn' } });
if (archive.status !== 0) process.exit(archive.status ?? 1);
