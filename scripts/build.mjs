// `npm run build`: compiles src/ to dist/ (same layout, so paths relative to a module, such as
// ../../prisma/seed, resolve as they do from src/) and copies the files modules read beside
// themselves (GraphQL documents). Then it bundles the two files Node starts, the server
// (dist/server.js, with a few chunks beside it) and the embedded database's thread
// (dist/db/embedded-worker.js), with esbuild from src/: Node loads ~40 files of ours instead of
// ~300 modules, and Node scans no CommonJS package we import for its exports (0.78–0.93× the
// start-up time of the module-per-file build, README "Start-up"). npm packages stay outside the
// bundle (`packages: 'external'`), so Node resolves `graphql` to the one copy it resolves under
// tsx. The compiled modules stay in dist/: each bundled module's `import.meta.url` is its
// compiled twin's, so what it reads beside itself is where it was. Last it writes the seed
// archive (dist/seed/seed-<hash>.tar.gz, src/seed/archive.ts) that `npm start` makes a new data
// directory from.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/**
 * A bundled module's `import.meta.url` is its compiled twin's (dist/<its path>.js), found from the
 * bundle's own URL, so what a module reads beside itself (documents, the seed archive, the worker
 * file, packages through createRequire) is found as from the compiled module, wherever dist/ is.
 * Every output file of a build lands in `outdir` (chunks too), so one relative path fits.
 */
function moduleUrls(outdir) {
  const src = resolve('src');
  return {
    name: 'module-urls',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (!args.path.startsWith(src + sep)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const compiled = join(resolve('dist'), relative(src, args.path)).replace(/\.ts$/, '.js');
        const path = `./${relative(resolve(outdir), compiled).split(sep).join('/')}`;
        // On the first line, so the source map's lines stay the module's own.
        const url = `const __moduleUrl = new URL(${JSON.stringify(path)}, import.meta.url).href; `;
        return { contents: url + source.replaceAll('import.meta.url', '__moduleUrl'), loader: 'ts' };
      });
    },
  };
}

/**
 * An npm package that Node would load as CommonJS is required (createRequire) where a bundled
 * module imports it: the same file, the same instance (Node keeps one CommonJS cache for import
 * and require), its exports as Node's import gives them (the default is module.exports, each name
 * a copy taken once it has run), without Node first scanning its source for those names
 * (cjs-module-lexer: ~50 ms of CPU for Prisma's runtime alone). The names are read here.
 */
function commonJsRequired() {
  const identifier = /^[A-Za-z_$][\w$]*$/;
  return {
    name: 'commonjs-required',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind !== 'import-statement' || args.path.startsWith('node:') || isBuiltin(args.path)) return undefined;
        let file;
        try {
          file = fileURLToPath(import.meta.resolve(args.path));
          if (require.resolve(args.path) !== file) return undefined; // import and require load different files
        } catch {
          return undefined;
        }
        const commonJs = file.endsWith('.cjs') || (file.endsWith('.js') && packageType(file) !== 'module');
        return commonJs ? { path: args.path, namespace: 'commonjs-required' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'commonjs-required' }, (args) => {
        const names = Object.keys(require(args.path)).filter((name) => identifier.test(name) && name !== 'default');
        const contents = [
          `import { createRequire } from 'node:module';`,
          `const exports = createRequire(import.meta.url)(${JSON.stringify(args.path)});`,
          'export default exports;',
          ...(names.length > 0 ? [`export const { ${names.join(', ')} } = exports;`] : []),
        ].join('\n');
        return { contents, loader: 'js' };
      });
    },
  };
}

/** The `type` of the package.json nearest to `file` (what Node reads to tell a .js file's kind). */
function packageType(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type ?? 'commonjs';
    } catch {}
  }
  return 'commonjs';
}

const { build } = require('esbuild');
const bundle = (entryPoints, outdir, options = {}) =>
  build({
    entryPoints,
    outdir,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [moduleUrls(outdir), commonJsRequired()],
    ...options,
  });
try {
  // The server's dynamic imports stay chunks: it starts the database's thread before loading the
  // rest of itself (src/server.ts), which a single file, importing every package first, would not.
  await bundle({ server: 'src/server.ts' }, 'dist', { splitting: true, chunkNames: 'server-[hash]' });
  await bundle({ 'embedded-worker': 'src/db/embedded-worker.ts' }, 'dist/db');
} catch {
  process.exit(1); // esbuild has printed why
}

const archive = spawnSync(process.execPath, ['dist/cli/seed-archive.js'], { stdio: 'inherit', env: { ...process.env, LOG_LEVEL: 'warn' } });
if (archive.status !== 0) process.exit(archive.status ?? 1);
