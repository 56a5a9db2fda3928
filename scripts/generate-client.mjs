// Runs `prisma generate` offline. The Prisma 7 CLI insists on locating a native schema engine
// even though generating needs none; pointing it at any existing file satisfies that check.
// Never use this trick for `prisma migrate`: it then does nothing and still reports success.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { delimiter, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    // the Pothos generator is found by name on PATH, as under `npm run`
    PATH: [resolve('node_modules/.bin'), process.env.PATH].join(delimiter),
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
process.exit(result.status ?? 1);
