// `GET /export/{figures,statements}.{csv,ndjson}`: the figure and statement lists as files for
// spreadsheets and notebooks, filtered like GraphQL's `figures(filter:)` / `statements(filter:)`
// with the same names as query parameters. Parameters are checked before anything is written
// (400 with a JSON body naming each bad parameter and its rule); the rows then stream out a
// batch at a time, read only as fast as the client takes them.
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { DateRange, FigureFilter, StatementFilter } from '../claims/filters.js';
import { exportChunks, type BatchOptions, type Dataset, type ExportFormat, type ExportRequest } from '../export/export.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { parseGlobalID } from '../schema/global-ids.js';
import { currentRequestId } from './hardening.js';
import { route } from './routes.js';
import {
  ClaimantKind,
  FigureMetric,
  Side,
  StatementKind,
  VerificationStatus,
  VictimCategory,
} from '../generated/prisma/enums.js';

export const EXPORT_PATH = '/export/';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

export interface ParameterError {
  parameter: string;
  rule: string;
  value?: string;
}

type Enum = Record<string, string>;

/** Reads query parameters by name and type, collecting every problem instead of stopping at one. */
class Parameters {
  readonly errors: ParameterError[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly params: URLSearchParams) {}

  /** Names nobody asked for: call after reading all known parameters. */
  rejectUnknown(dataset: Dataset) {
    for (const name of new Set(this.params.keys())) {
      if (!this.seen.has(name)) {
        this.errors.push({
          parameter: name,
          rule: `unknown parameter; /export/${dataset} accepts: ${[...this.seen].join(', ')}`,
        });
      }
    }
  }

  private single(name: string): string | undefined {
    this.seen.add(name);
    const values = this.params.getAll(name);
    if (values.length === 0) return undefined;
    if (values.length > 1) {
      this.errors.push({ parameter: name, rule: 'may be given only once', value: values.join(', ') });
      return undefined;
    }
    if (values[0]!.trim() === '') {
      this.errors.push({ parameter: name, rule: 'must not be empty (leave the parameter out instead)', value: values[0] });
      return undefined;
    }
    return values[0]!.trim();
  }

  /** Comma-separated values (`metrics=KILLED,INJURED`); repeating the parameter adds more. */
  enumList<E extends Enum>(name: string, values: E): E[keyof E][] | undefined {
    this.seen.add(name);
    const given = this.params.getAll(name);
    if (given.length === 0) return undefined;
    const items = given.flatMap((value) => value.split(',')).map((item) => item.trim());
    const allowed = Object.values(values);
    const bad = items.filter((item) => !allowed.includes(item));
    if (bad.length > 0 || items.length === 0) {
      this.errors.push({
        parameter: name,
        rule: `a comma-separated list of: ${allowed.join(', ')} (upper case, as in GraphQL)`,
        value: given.join(','),
      });
      return undefined;
    }
    return [...new Set(items)] as E[keyof E][];
  }

  /** A global ID as GraphQL returns it in `id` fields, of the given type (the same parser as GraphQL's). */
  id(name: string, typename: string): number | undefined {
    const value = this.single(name);
    if (value === undefined) return undefined;
    const rule = `a global ID of a ${typename}, as returned in the "id" field of a ${typename} in GraphQL`;
    let decoded: { typename: string; id: string };
    try {
      decoded = parseGlobalID(value);
    } catch {
      this.errors.push({ parameter: name, rule, value });
      return undefined;
    }
    if (decoded.typename !== typename) {
      this.errors.push({ parameter: name, rule: `${rule}; this is the ID of a ${decoded.typename}`, value });
      return undefined;
    }
    return Number(decoded.id);
  }

  /** An ISO 8601 date ("2026-01-31", midnight UTC) or date-time with a zone ("2026-01-31T12:00:00Z"). */
  date(name: string): Date | undefined {
    const value = this.single(name);
    if (value === undefined) return undefined;
    const match = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/.exec(value);
    const date = match ? new Date(value) : null;
    // JavaScript rolls 2026-02-30 over to 2 March: the day must survive the round trip.
    const sameDay =
      match && date && !Number.isNaN(date.getTime()) &&
      new Date(Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!)).toISOString().slice(0, 10) === `${match[1]}-${match[2]}-${match[3]}`;
    if (!date || !sameDay) {
      this.errors.push({
        parameter: name,
        rule: 'an ISO 8601 date such as "2026-01-31" or a date-time with a time zone such as "2026-01-31T14:27:00Z"',
        value,
      });
      return undefined;
    }
    return date;
  }

  dateRange(name: string): DateRange | undefined {
    const from = this.date(`${name}.from`);
    const to = this.date(`${name}.to`);
    return from || to ? { from, to } : undefined;
  }

  boolean(name: string): boolean | undefined {
    const value = this.single(name);
    if (value === undefined) return undefined;
    if (value === 'true') return true;
    if (value === 'false') return false;
    this.errors.push({ parameter: name, rule: 'true or false', value });
    return undefined;
  }
}

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
  p.rejectUnknown(dataset);
  return p.errors.length > 0 ? { ok: false, errors: p.errors } : { ok: true, request };
}

const jsonError = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });

/**
 * The export endpoints as a yoga plugin: answers `/export/…`, hands every other URL on. `reader`
 * gives the client each export reads through (a read replica, when there are any). Errors are
 * masked like every route's (src/http/routes.ts).
 */
export function exportEndpoints(reader: () => PrismaClient, logger: Logger, options: BatchOptions = {}): Plugin {
  return route(logger, (url) => url.pathname.startsWith(EXPORT_PATH), (request, url) => exportResponse(reader(), request, url, logger, options));
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
  const parsed = parseExportRequest(dataset, url.searchParams);
  if (!parsed.ok) {
    return jsonError(400, {
      errors: parsed.errors.map((error) => ({
        ...error,
        message: `Invalid parameter ${error.parameter}: must be ${error.rule}${error.value === undefined ? '' : `, got ${JSON.stringify(error.value)}`}`,
      })),
    });
  }

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
