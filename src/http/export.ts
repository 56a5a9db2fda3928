// `GET /export/{figures,statements}.{csv,ndjson}`: the figure and statement lists as files for
// spreadsheets and notebooks, filtered like GraphQL's `figures(filter:)` / `statements(filter:)`
// with the same names as query parameters (and, for a CSV, `bom=true` for Excel). Parameters
// are checked before anything is written (400 with a JSON body naming each bad parameter and its
// rule); the rows then stream out a batch at a time, read only as fast as the client takes them.
import type { Plugin } from 'graphql-yoga';
import { figureFilterInput, statementFilterInput, type FigureFilter, type StatementFilter } from '../claims/filters.js';
import { bool, inputObject } from '../rules/fields.js';
import { exportChunks, type BatchOptions, type Dataset, type ExportFormat, type ExportRequest } from '../export/export.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from 'pino';
import { currentRequestId } from './hardening.js';
import { parameterErrorResponse, readParameters, type ParameterError } from './parameters.js';
import { route } from './routes.js';

export const EXPORT_PATH = '/export/';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

const bom = bool(
  'true: start the file with a UTF-8 byte-order mark, so that Excel opening it by a double-click shows "Pakistan’s" and not "Pakistanâ€™s". Default false (most other tools do not want one).',
).nullish();

/** The parameters of each export: the list's filter, and for a CSV the byte-order mark. */
const PARAMETERS = {
  figures: { ndjson: figureFilterInput, csv: inputObject('FigureCsvExport', 'A CSV of figures.', { ...figureFilterInput.shape, bom }) },
  statements: { ndjson: statementFilterInput, csv: inputObject('StatementCsvExport', 'A CSV of statements.', { ...statementFilterInput.shape, bom }) },
};

/** The export a URL asks for, or the parameter errors that stop it. */
export function parseExportRequest(
  dataset: Dataset,
  format: ExportFormat,
  params: URLSearchParams,
): { ok: true; request: ExportRequest } | { ok: false; errors: ParameterError[] } {
  const read = readParameters(PARAMETERS[dataset][format], params);
  if (!read.ok) return read;
  const { bom: byteOrderMark, ...filter } = read.value as Record<string, unknown> & { bom?: boolean | null };
  const request = { dataset, filter: filter as FigureFilter | StatementFilter, byteOrderMark: byteOrderMark === true } as ExportRequest;
  return { ok: true, request };
}

const jsonError = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });

/**
 * The export endpoints as a yoga plugin: answers `/export/…`, hands every other URL on. `reader`
 * gives the client each export reads through (a read replica, when there are any). Errors are
 * masked like every route's (src/http/routes.ts).
 */
export function exportEndpoints(reader: () => PrismaClient, logger: Logger, options: BatchOptions = {}): Plugin {
  return route(
    logger,
    (url) => url.pathname.startsWith(EXPORT_PATH),
    (request, url) => exportResponse(reader(), request, url, logger, options),
  );
}

export async function exportResponse(prisma: PrismaClient, request: Request, url: URL, logger: Logger, options: BatchOptions = {}): Promise<Response> {
  const match = /^\/export\/(figures|statements)\.(csv|ndjson)$/.exec(url.pathname);
  if (!match) {
    return jsonError(404, {
      errors: [{ rule: 'no such export; try /export/figures.csv, /export/figures.ndjson, /export/statements.csv or /export/statements.ndjson' }],
    });
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return jsonError(405, { errors: [{ rule: 'exports answer GET (and HEAD) only' }] }, { allow: 'GET, HEAD' });
  }
  const dataset = match[1] as Dataset;
  const format = match[2] as ExportFormat;
  const parsed = parseExportRequest(dataset, format, url.searchParams);
  if (!parsed.ok) return parameterErrorResponse(parsed.errors);

  const headers = {
    'content-type': CONTENT_TYPES[format],
    'content-disposition': `attachment; filename="${dataset}.${format}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  if (request.method === 'HEAD') return new Response(null, { headers });

  // The first chunk (filter subtrees, header and first batch) is read before answering, so a
  // database that fails at once gets an error status (503 when it is unavailable) instead of a
  // 200 with a broken file.
  const chunks = exportChunks(prisma, parsed.request, format, options);
  const first = await chunks.next();
  const encoder = new TextEncoder();
  const requestId = currentRequestId();
  let stopped = false;
  const stop = () => {
    stopped = true;
    void chunks.return(undefined).catch(() => {});
  };
  request.signal?.addEventListener('abort', stop, { once: true });

  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (first.done) controller.close();
        else controller.enqueue(encoder.encode(first.value));
      },
      // Called only when the client has taken what was queued: one batch in memory at a time.
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (stopped) return; // the client went away while this batch was read
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (error) {
          if (stopped) return;
          // The status line is long gone: break the stream so the client sees a failed download,
          // never a file that merely looks complete.
          logger.error({ requestId, err: error, path: url.pathname }, 'export failed mid-stream');
          controller.error(new Error(`The export stopped: quote request id ${requestId} to the operator`));
        }
      },
      cancel: stop,
    },
    { highWaterMark: 1 },
  );
  return new Response(body, { headers });
}
