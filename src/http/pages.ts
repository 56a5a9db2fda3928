// `GET /incidents` and `GET /incidents/{incident id}`: server-rendered pages for reading the
// claims in a browser, no script needed. Each page is the answer to one GraphQL query, run in
// this process with the caller's own rights (the same schema, rules and access checks as
// /graphql), and links to GraphiQL opened on exactly that query. ETag and Cache-Control follow
// the data's last change, as for the charts.
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { PrismaClient } from '../generated/prisma/client.js';
import { escapeHtml, page, withValuesWrittenIn } from '../pages/html.js';
import { INCIDENT_INDEX_QUERY, renderIncidentIndex, type IncidentIndexData } from '../pages/incident-index.js';
import { INCIDENT_PAGE_QUERY, renderIncidentPage, type IncidentPageData } from '../pages/incident-page.js';
import { cachingHeaders, clientHasCurrent, freshness } from './freshness.js';
import { currentRequestId } from './hardening.js';
import { z } from 'zod';
import { ref } from '../rules/fields.js';
import { parameterMessage, readParameters } from './parameters.js';

/** The index takes no parameters; a page only its incident (from the path). */
const indexParameters = z.strictObject({});
const pageParameters = z.strictObject({ incident: ref(['Incident'], 'The incident.') });

export const PAGES_PATH = '/incidents';

/** Runs a GraphQL document as the request's caller would over /graphql. */
export type QueryRunner = (request: Request, document: string) => Promise<ExecutionResult>;

const HTML = 'text/html; charset=utf-8';

function problemPage(status: number, heading: string, detail: string): Response {
  const body = `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(detail)}</p><p><a href="/incidents">See the largest disagreements</a>.</p>`;
  return new Response(page({ title: heading, body }), { status, headers: { 'content-type': HTML, 'cache-control': 'no-store' } });
}

export interface PageOptions {
  publicReads: boolean;
  logger: Logger;
}

/** The pages as a yoga plugin: answers `/incidents` and `/incidents/…`, hands every other URL on. */
export function incidentPages(reader: () => PrismaClient, run: QueryRunner, options: PageOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== PAGES_PATH && !url.pathname.startsWith(`${PAGES_PATH}/`)) return;
      endResponse(await pageResponse(reader(), run, request, url, options));
    },
  };
}

async function pageResponse(prisma: PrismaClient, run: QueryRunner, request: Request, url: URL, options: PageOptions): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const response = problemPage(405, 'Pages can only be read', 'Pages answer GET (and HEAD) only.');
    response.headers.set('allow', 'GET, HEAD');
    return response;
  }
  const segments = url.pathname.slice(PAGES_PATH.length).split('/').filter(Boolean);
  if (segments.length > 1) return problemPage(404, 'No such page', 'Pages are /incidents and /incidents/{incident id}.');
  let id: string | undefined;
  if (segments.length === 1) {
    try {
      id = decodeURIComponent(segments[0]!);
    } catch {
      id = segments[0]!;
    }
  }
  const read = readParameters(id === undefined ? indexParameters : pageParameters, url.searchParams, id === undefined ? {} : { incident: id });
  if (!read.ok) return problemPage(400, 'This address does not name a page', read.errors.map(parameterMessage).join('; '));

  const fresh = await freshness(prisma, url);
  const headers = { 'content-type': HTML, ...cachingHeaders(fresh, options.publicReads) };
  if (clientHasCurrent(request, fresh)) return new Response(null, { status: 304, headers });

  const query = id === undefined ? INCIDENT_INDEX_QUERY : withValuesWrittenIn(INCIDENT_PAGE_QUERY, { id });
  const result = await run(request, query);
  if (result.errors?.length) {
    const denied = result.errors.some((error) => ['UNAUTHENTICATED', 'FORBIDDEN'].includes(String(error.extensions?.code)));
    if (denied) return problemPage(403, 'Reading needs an API key', result.errors[0]!.message);
    // Unexpected: the reader gets the request id, the log the error.
    const requestId = currentRequestId();
    options.logger.error({ requestId, err: result.errors[0]!.originalError ?? result.errors[0] }, 'page query failed');
    return problemPage(500, 'This page could not be built', `Try again shortly; if it keeps failing, quote request id ${requestId} to the operator.`);
  }
  let html: string;
  if (id === undefined) html = renderIncidentIndex(result.data as unknown as IncidentIndexData, query);
  else {
    const data = result.data as unknown as IncidentPageData;
    if (!data.incident) return problemPage(404, 'No such incident', 'No incident has this ID (it may have been merged away or deleted).');
    html = renderIncidentPage(data, query);
  }
  return new Response(request.method === 'HEAD' ? null : html, { headers });
}
