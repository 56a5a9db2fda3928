/**
 * Self-hosted GraphiQL. Yoga's default page loads its bundle, stylesheet and
 * Monaco workers from unpkg, which is unreachable offline; this renders the
 * same page but points every asset at the gateway itself.
 */
import { readFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { GraphiQLOptions } from 'graphql-yoga';

export const GRAPHIQL_ASSETS_PATH = '/graphiql/assets/';

const require = createRequire(import.meta.url);
const packageJsonPath = require.resolve('@graphql-yoga/graphiql/package.json');
const distDir = join(dirname(packageJsonPath), 'dist');
const { version } = require(packageJsonPath) as { version: string };

// Monaco asks for a worker by label; these are the labels and bundles yoga's own page wires up.
const WORKERS = {
  editorWorkerService: 'monacoeditorwork/editor.worker.bundle.js',
  json: 'monacoeditorwork/json.worker.bundle.js',
  graphql: 'monacoeditorwork/graphql.worker..bundle.js',
} as const;

const CONTENT_TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
} as const;

// The only files ever served. Stat-ing them now makes a package upgrade that
// renames a file fail at start-up instead of as a broken page.
const ASSETS = new Map(
  ['yoga-graphiql.umd.js', 'graphiql.css', ...Object.values(WORKERS)].map((file) => {
    statSync(join(distDir, file));
    const ext = file.slice(file.lastIndexOf('.')) as keyof typeof CONTENT_TYPES;
    return [file, CONTENT_TYPES[ext]];
  }),
);

// The version query changes the URLs on upgrade, which makes `immutable` caching safe.
const assetUrl = (file: string) => `${GRAPHIQL_ASSETS_PATH}${file}?v=${encodeURIComponent(version)}`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// JSON inside <script>: `<` escaped so a value containing `</script>` cannot close the tag.
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** Drop-in for yoga's `renderGraphiQL` option: yoga's page, with local asset URLs. */
export function renderGraphiQL(options: GraphiQLOptions = {}): string {
  const title = escapeHtml(options.title || 'Yoga GraphiQL');
  // Yoga's default favicon lives on GitHub; `data:,` keeps the browser from fetching anything.
  const favicon = escapeHtml(options.favicon ?? 'data:,');
  const workerUrls = Object.fromEntries(Object.entries(WORKERS).map(([label, file]) => [label, assetUrl(file)]));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="icon" href="${favicon}">
<link rel="stylesheet" href="${assetUrl('graphiql.css')}">
</head>
<body id="body" class="no-focus-outline">
<noscript>You need to enable JavaScript to run this app.</noscript>
<div id="root">Loading ${title}...</div>
<script>
{
  const workerUrls = ${scriptJson(workerUrls)};
  // Same-origin workers load by URL; yoga's CDN page needs blob: copies only because unpkg is cross-origin.
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: (_moduleId, label) => workerUrls[label] ?? workerUrls.editorWorkerService,
  };
}
</script>
<script src="${assetUrl('yoga-graphiql.umd.js')}"></script>
<script>
{
  const options = ${scriptJson(options)};
  // The 4.5.0 bundle seeds the editor with its welcome text even when defaultQuery is set (fixed
  // upstream later). Its deprecated \`query\` prop wins over that, but also over the ?query= URL
  // parameter GraphiQL keeps the edited query in, so pass the URL's query first.
  if (options.defaultQuery != null && options.query == null) {
    options.query = new URLSearchParams(location.search).get('query') || options.defaultQuery;
  }
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
}
</script>
</body>
</html>
`;
}

const gzipAsync = promisify(gzip);
// Copied into plain ArrayBuffer-backed arrays, the body type fetch's Response accepts.
type Body = { raw: Uint8Array<ArrayBuffer>; gzipped: Uint8Array<ArrayBuffer> };
const bodies = new Map<string, Promise<Body>>();

// Read and gzip each file once, on first request (the bundle is ~5 MB, ~1.4 MB gzipped).
function loadBody(file: string): Promise<Body> {
  let body = bodies.get(file);
  if (!body) {
    body = readFile(join(distDir, file)).then(async (raw) => ({
      raw: new Uint8Array(raw),
      gzipped: new Uint8Array(await gzipAsync(raw)),
    }));
    body.catch(() => bodies.delete(file)); // retry on the next request rather than caching the failure
    bodies.set(file, body);
  }
  return body;
}

const textResponse = (status: number, text: string, headers: Record<string, string> = {}) =>
  new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });

/**
 * Answers `/graphiql/assets/<file>` for allow-listed files (404 for any other file under that
 * prefix); `null` for every other URL so the caller can hand the request on.
 */
export function graphiqlAssetResponse(request: Request): Promise<Response> | Response | null {
  const { pathname } = new URL(request.url);
  if (!pathname.startsWith(GRAPHIQL_ASSETS_PATH)) return null;
  // The URL parser has already resolved `..` segments, and this is an exact match on the
  // still-encoded rest of the path, so no traversal (plain or %-encoded) can name another file.
  const file = pathname.slice(GRAPHIQL_ASSETS_PATH.length);
  const contentType = ASSETS.get(file);
  if (!contentType) return textResponse(404, 'Not Found');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return textResponse(405, 'Method Not Allowed', { allow: 'GET, HEAD' });
  }
  return loadBody(file).then(({ raw, gzipped }) => {
    const useGzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
    const body = useGzip ? gzipped : raw;
    const headers: Record<string, string> = {
      'content-type': contentType,
      'content-length': String(body.length),
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'Accept-Encoding',
    };
    if (useGzip) headers['content-encoding'] = 'gzip';
    return new Response(request.method === 'HEAD' ? null : body, { headers });
  });
}
