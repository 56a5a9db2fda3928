// `GET /export/{figures,statements}.{csv,ndjson}`: the figure and statement lists as files for
// spreadsheets and notebooks, filtered like GraphQL's `figures(filter:)` / `statements(filter:)`
// with the same names as query parameters. Parameters are checked before anything is written
// (400 with a JSON body naming each bad parameter and its rule); the rows then stream out a
// batch at a time, read only as fast as the client takes them.
import type { Plugin } from 'graphql-yoga';
import type { FigureFilter, StatementFilter } from '../claims/filters.js';
import { exportChunks, type BatchOptions, type Dataset, type ExportFormat, type ExportRequest } from '../export/export.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import {
  ClaimantKind,
  FigureMetric,
  Side,
  StatementKind,
  VerificationStatus,
  VictimCategory,
} from '../generated/prisma/enums.js';
import { parameterErrorResponse, Parameters, type ParameterError } from './parameters.js';

export const EXPORT_PATH = '/export/';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

/** The same fields as GraphQL's `FigureFilter`, with global IDs decoded. */
function figureFilter(p: Parameters): FigureFilter {
  return {
    metrics: p.enumList('metrics', FigureMetric),
    victimCategories: p.enumList('victimCategories', VictimCategory),
    sides: p.enumList('sides', Side),
    incidentId: p.id('incident', 'Incident'),
    placeId: p.id('place', 'Place'),
    claimantOrganisationId: p.id('claimantOrganisation', 'Organisation'),
    claimantOfficialId: p.id('claimantOfficial', 'Official'),
    statementKinds: p.enumList('statementKinds', StatementKind),
    verification: p.enumList('verification', VerificationStatus),
    claimedBetween: p.dateRange('claimedBetween'),
    current: p.boolean('current'),
    includeRetracted: p.boolean('includeRetracted'),
    asOf: p.date('asOf'),
  };
}

/** The same fields as GraphQL's `StatementFilter`, with global IDs decoded. */
function statementFilter(p: Parameters): StatementFilter {
  return {
    kinds: p.enumList('kinds', StatementKind),
    claimantKinds: p.enumList('claimantKinds', ClaimantKind),
    organisationId: p.id('organisation', 'Organisation'),
    officialId: p.id('official', 'Official'),
    verification: p.enumList('verification', VerificationStatus),
    madeBetween: p.dateRange('madeBetween'),
    incidentId: p.id('incident', 'Incident'),
    placeId: p.id('place', 'Place'),
    includeRetracted: p.boolean('includeRetracted'),
  };
}

/** The export a URL asks for, or the parameter errors that stop it. */
export function parseExportRequest(
  dataset: Dataset,
  params: URLSearchParams,
): { ok: true; request: ExportRequest } | { ok: false; errors: ParameterError[] } {
  const p = new Parameters(params);
  const request: ExportRequest =
    dataset === 'figures' ? { dataset, filter: figureFilter(p) } : { dataset, filter: statementFilter(p) };
  p.rejectUnknown(`/export/${dataset}`);
  return p.errors.length > 0 ? { ok: false, errors: p.errors } : { ok: true, request };
}

const jsonError = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });

/**
 * The export endpoints as a yoga plugin: answers `/export/…`, hands every other URL on. `reader`
 * gives the client each export reads through (a read replica, when there are any).
 */
export function exportEndpoints(reader: () => PrismaClient, options: BatchOptions = {}): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (!url.pathname.startsWith(EXPORT_PATH)) return;
      endResponse(await exportResponse(reader(), request, url, options));
    },
  };
}

export async function exportResponse(prisma: PrismaClient, request: Request, url: URL, options: BatchOptions = {}): Promise<Response> {
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
  const parsed = parseExportRequest(dataset, url.searchParams);
  if (!parsed.ok) {
    return parameterErrorResponse(parsed.errors);
  }

  const headers = {
    'content-type': CONTENT_TYPES[format],
    'content-disposition': `attachment; filename="${dataset}.${format}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  if (request.method === 'HEAD') return new Response(null, { headers });

  // The first chunk (filter subtrees, header and first batch) is read before answering, so a
  // database that fails at once gets a 500 instead of a 200 with a broken file.
  const chunks = exportChunks(prisma, parsed.request, format, options);
  const first = await chunks.next();
  const encoder = new TextEncoder();
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
          console.error(`export ${url.pathname} failed mid-stream:`, error);
          controller.error(error);
        }
      },
      cancel: stop,
    },
    { highWaterMark: 1 },
  );
  return new Response(body, { headers });
}
