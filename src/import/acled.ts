// ACLED's CSV export → incidents, places, organisations, sources and one statement per event
// ("ACLED codes N fatalities"), all keyed by ACLED's own ids so a re-import finds them again.
// The mapping is documented in the README section "Bulk import"; its limits are noted there.
import type { IncidentKind, OrganisationKind, ParticipantRole, PlaceKind } from '../generated/prisma/enums.js';
import { recordChange } from '../writes/audit.js';
import { InvalidInputError, NotFoundError, type InputIssue } from '../writes/errors.js';
import { recordStatement } from '../writes/statements.js';
import { parseCsvRecord } from './read.js';
import type { EntityType, PreparedRecord, Tx, WriteContext } from './types.js';

export const ACLED_COLUMNS = [
  'event_id_cnty', 'event_date', 'event_type', 'sub_event_type', 'actor1', 'actor2', 'admin1', 'admin2', 'admin3',
  'location', 'latitude', 'longitude', 'geo_precision', 'time_precision', 'source', 'notes', 'fatalities',
] as const;

/** event_type → sub_event_type → incident kind ('*': any other sub-event type of that event type). */
export const ACLED_KINDS: Record<string, Record<string, IncidentKind>> = {
  Battles: { '*': 'CLASH' },
  'Explosions/Remote violence': {
    'Suicide bomb': 'BOMBING',
    'Remote explosive/landmine/IED': 'BOMBING',
    Grenade: 'BOMBING',
    'Air/drone strike': 'ARMED_ATTACK',
    'Shelling/artillery/missile attack': 'ARMED_ATTACK',
    '*': 'EXPLOSION',
  },
  'Violence against civilians': { 'Abduction/forced disappearance': 'ABDUCTION', Attack: 'ARMED_ATTACK', '*': 'OTHER' },
  'Strategic developments': { Arrests: 'SECURITY_OPERATION', 'Disrupted weapons use': 'SECURITY_OPERATION', '*': 'OTHER' },
  Protests: { '*': 'OTHER' },
  Riots: { '*': 'OTHER' },
};

export function acledKind(eventType: string, subEventType: string): IncidentKind {
  const byType = ACLED_KINDS[eventType];
  return byType?.[subEventType] ?? byType?.['*'] ?? 'OTHER';
}

const TIME_PRECISION = { '1': 'DAY', '2': 'WEEK', '3': 'MONTH' } as const;
const GEO_PRECISION: Record<string, string> = {
  '1': 'ACLED geo_precision 1: the coordinates are those of the named town or village',
  '2': 'ACLED geo_precision 2: the event happened near or in a part of this place; the coordinates are those of the place',
  '3': 'ACLED geo_precision 3: only the wider region is known; the coordinates are those of a place standing for it',
};

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** ACLED dates: 2026-01-31 (current exports) or "31 January 2026" (older ones). UTC midnight. */
function parseDate(value: string): Date | null {
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const words = /^(\d{1,2})[ -]([A-Za-z]+)[ -](\d{4})$/.exec(value);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (words) [y, m, d] = [Number(words[3]), MONTHS.indexOf(words[2]!.toLowerCase()) + 1, Number(words[1])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null;
}

/** Who an ACLED actor is: an organisation, or (civilians, protesters, unidentified groups) only words. */
export function acledActor(name: string): { organisation: { name: string; aliases: string[]; kind: OrganisationKind } | null } {
  if (/^(Civilians|Protesters|Rioters|Unidentified)\b/i.test(name)) return { organisation: null };
  // "BLA: Baloch Liberation Army" → name "Baloch Liberation Army", alias "BLA".
  const abbreviated = /^([^:]{1,20}):\s*(.+)$/.exec(name);
  const plain = abbreviated ? abbreviated[2]! : name;
  const aliases = abbreviated ? [abbreviated[1]!.trim(), name] : [];
  const kind: OrganisationKind =
    /^Military Forces of/i.test(name) ? 'MILITARY'
    : /^Police Forces of/i.test(name) ? 'POLICE'
    : /^Government of/i.test(name) ? 'GOVERNMENT'
    : /Army|Front|Liberation|Tehreek|Taliban|Lashkar|Jaish|Islamic State|Militia|Armed Group/i.test(name) ? 'ARMED_GROUP'
    : 'OTHER';
  return { organisation: { name: plain, aliases, kind } };
}

const ACLED_ORGANISATION = 'acled:organisation';
const ACLED_DATASET = 'acled:dataset';

/** Finds an entity by external ID, or creates it (audited) and remembers it for the batch. */
async function findOrCreate(
  tx: Tx,
  context: WriteContext,
  entityType: EntityType,
  externalId: string,
  create: () => Promise<{ id: number }>,
): Promise<number> {
  try {
    return await context.resolve({ field: externalId, entityType, externalId });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  const row = await create();
  await recordChange(tx, context.actor, { operation: 'CREATE', entityType, entityId: row.id, after: row });
  context.remember(entityType, externalId, row.id);
  return row.id;
}

/** An organisation named by ACLED: by ACLED's name, else by name or alias already known, else new. */
async function organisationNamed(tx: Tx, context: WriteContext, actor: string, organisation: NonNullable<ReturnType<typeof acledActor>['organisation']>) {
  const externalId = `acled-actor:${actor}`;
  try {
    return await context.resolve({ field: externalId, entityType: 'Organisation', externalId });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  const names = [organisation.name, ...organisation.aliases];
  const known = await tx.organisation.findFirst({
    where: { OR: [...names.map((name) => ({ name: { equals: name, mode: 'insensitive' as const } })), { aliases: { hasSome: names } }] },
    orderBy: { id: 'asc' },
    select: { id: true },
  });
  if (known) {
    context.remember('Organisation', externalId, known.id);
    return known.id;
  }
  return findOrCreate(tx, context, 'Organisation', externalId, () =>
    tx.organisation.create({
      data: { externalId, name: organisation.name, aliases: organisation.aliases, kind: organisation.kind, notes: `Actor as named by ACLED: "${actor}"` },
    }),
  );
}

interface AcledEvent {
  id: string;
  date: Date;
  precision: 'DAY' | 'WEEK' | 'MONTH';
  eventType: string;
  subEventType: string;
  actor1: string;
  actor2: string;
  places: { name: string; kind: PlaceKind }[];
  latitude: number | null;
  longitude: number | null;
  geoPrecision: string;
  source: string;
  notes: string;
  fatalities: number;
  country: string;
  timestamp: Date | null;
}

/** Validates one ACLED CSV record against the header. Throws InvalidInputError naming every bad column. */
export function parseAcledRow(header: string[], text: string): AcledEvent {
  const missing = ACLED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new InvalidInputError(missing.map((column) => ({ field: column, rule: 'is a required column, missing from the header row' })));
  let fields: string[];
  try {
    fields = parseCsvRecord(text);
  } catch (error) {
    throw new InvalidInputError([{ field: '(row)', rule: `is not valid CSV: ${(error as Error).message}` }]);
  }
  if (fields.length !== header.length) {
    throw new InvalidInputError([{ field: '(row)', rule: `has ${fields.length} fields; the header has ${header.length}` }]);
  }
  const row = (column: string) => (fields[header.indexOf(column)] ?? '').trim();
  const issues: InputIssue[] = [];
  const rule = (field: string, message: string) => issues.push({ field, rule: message });

  const id = row('event_id_cnty');
  if (!/^[A-Za-z]{2,4}\d+$/.test(id)) rule('event_id_cnty', 'must be an ACLED event id (country letters and a number, e.g. PAK12345)');
  const date = parseDate(row('event_date'));
  if (!date) rule('event_date', 'must be a date (2026-01-31 or 31 January 2026)');
  const precision = TIME_PRECISION[row('time_precision') as keyof typeof TIME_PRECISION];
  if (!precision) rule('time_precision', 'must be 1 (day), 2 (week) or 3 (month)');
  if (!row('event_type')) rule('event_type', 'must not be empty');
  if (!row('actor1')) rule('actor1', 'must not be empty');
  const fatalities = Number(row('fatalities'));
  if (row('fatalities') === '' || !Number.isInteger(fatalities) || fatalities < 0) rule('fatalities', 'must be a whole number, 0 or more');
  const coordinate = (column: string, limit: number) => {
    if (row(column) === '') return null;
    const value = Number(row(column));
    if (!Number.isFinite(value) || Math.abs(value) > limit) {
      rule(column, `must be a number from -${limit} to ${limit}`);
      return null;
    }
    return value;
  };
  const latitude = coordinate('latitude', 90);
  const longitude = coordinate('longitude', 180);
  if ((latitude === null) !== (longitude === null)) rule('longitude', 'latitude and longitude come together');
  if (row('geo_precision') !== '' && !GEO_PRECISION[row('geo_precision')]) rule('geo_precision', 'must be 1, 2 or 3');
  const timestamp = header.includes('timestamp') && /^\d+$/.test(row('timestamp')) ? new Date(Number(row('timestamp')) * 1000) : null;
  if (issues.length > 0) throw new InvalidInputError(issues);

  const country = header.includes('country') ? row('country') : '';
  const levels: [string, PlaceKind][] = [[country, 'COUNTRY'], [row('admin1'), 'PROVINCE'], [row('admin2'), 'DISTRICT'], [row('admin3'), 'AREA'], [row('location'), 'CITY']];
  return {
    id,
    date: date!,
    precision: precision!,
    eventType: row('event_type'),
    subEventType: row('sub_event_type'),
    actor1: row('actor1'),
    actor2: row('actor2'),
    places: levels.filter(([name]) => name !== '').map(([name, kind]) => ({ name, kind })),
    latitude,
    longitude,
    geoPrecision: row('geo_precision'),
    source: row('source'),
    notes: row('notes'),
    fatalities,
    country,
    timestamp,
  };
}

export function prepareAcled(header: string[], line: number, text: string): PreparedRecord {
  const event = parseAcledRow(header, text);
  return { line, entityType: 'Incident', externalId: `acled:${event.id}`, needs: [], write: (tx, context) => writeAcledEvent(tx, context, event) };
}

async function writeAcledEvent(tx: Tx, context: WriteContext, event: AcledEvent): Promise<boolean> {
  const statementExternalId = `acled:${event.id}:fatalities`;
  if (await tx.statement.findUnique({ where: { externalId: statementExternalId }, select: { id: true } })) return false;

  // Places: country > admin1 > admin2 > admin3 > location, each keyed by its path.
  let parentId: number | null = null;
  const path: string[] = [];
  for (const [n, level] of event.places.entries()) {
    path.push(level.name);
    const isLocation = n === event.places.length - 1 && level.kind === 'CITY';
    const parent = parentId;
    parentId = await findOrCreate(tx, context, 'Place', `acled-place:${path.join('/')}`, () =>
      tx.place.create({
        data: {
          externalId: `acled-place:${path.join('/')}`,
          name: level.name,
          kind: level.kind,
          parentId: parent,
          latitude: isLocation ? event.latitude : null,
          longitude: isLocation ? event.longitude : null,
          description: isLocation && event.geoPrecision ? GEO_PRECISION[event.geoPrecision] : null,
        },
      }),
    );
  }
  const placeId = parentId;

  // Participants: actor1 as perpetrator, actor2 as target (civilians: victims); only words for
  // actors that are not organisations (civilians, protesters, unidentified armed groups).
  const participants: { role: ParticipantRole; description: string; organisationId: number | null }[] = [];
  for (const [actor, role] of [[event.actor1, 'PERPETRATOR'], [event.actor2, 'TARGET']] as const) {
    if (!actor) continue;
    const { organisation } = acledActor(actor);
    participants.push({
      role: role === 'TARGET' && /^Civilians\b/i.test(actor) ? 'VICTIM' : role,
      description: `${actor} (ACLED ${role === 'PERPETRATOR' ? 'actor1' : 'actor2'})`,
      organisationId: organisation ? await organisationNamed(tx, context, actor, organisation) : null,
    });
  }

  // "Quetta, Balochistan" rather than "Quetta, Quetta": the place and the next differently named one above it.
  const where = event.places.map((p) => p.name).reverse().filter((name, n, names) => n === 0 || name !== names[n - 1]);
  const incidentId = await findOrCreate(tx, context, 'Incident', `acled:${event.id}`, () =>
    tx.incident.create({
      data: {
        externalId: `acled:${event.id}`,
        title: `${event.subEventType || event.eventType}${where.length > 0 ? `: ${where.slice(0, 2).join(', ')}` : ''}`,
        kind: acledKind(event.eventType, event.subEventType),
        description: [event.notes, `ACLED event ${event.id}: ${event.eventType} / ${event.subEventType || '—'}.`].filter(Boolean).join('\n\n'),
        startedAt: event.date,
        datePrecision: event.precision,
        places: placeId ? { create: [{ placeId }] } : undefined,
        participants: { create: participants },
      },
      include: { places: true, participants: true },
    }),
  );

  const acledId = await findOrCreate(tx, context, 'Organisation', ACLED_ORGANISATION, async () => {
    const known = await tx.organisation.findFirst({ where: { OR: [{ name: { equals: 'ACLED', mode: 'insensitive' } }, { aliases: { has: 'ACLED' } }] }, orderBy: { id: 'asc' } });
    return known ?? tx.organisation.create({
      data: { externalId: ACLED_ORGANISATION, name: 'Armed Conflict Location & Event Data (ACLED)', aliases: ['ACLED'], kind: 'NGO', description: 'Codes political violence and protest events from published reporting.' },
    });
  });
  const datasetId = await findOrCreate(tx, context, 'Source', ACLED_DATASET, () =>
    tx.source.create({ data: { externalId: ACLED_DATASET, title: 'ACLED data export', description: 'ACLED event data (CSV export)', kind: 'DATASET', publisherId: acledId, url: 'https://acleddata.com' } }),
  );
  const sourceIds = [datasetId];
  if (event.source) {
    const externalId = `acled-source:${event.source}`;
    sourceIds.push(await findOrCreate(tx, context, 'Source', externalId, () =>
      tx.source.create({ data: { externalId, description: `Reporting cited by ACLED: ${event.source}`, kind: 'OTHER' } }),
    ));
  }

  const result = await recordStatement(tx, context.actor, {
    externalId: statementExternalId,
    kind: 'CASUALTY_REPORT',
    claimant: { kind: 'ORGANISATION', organisationId: acledId, description: 'ACLED (coded event data)', affiliation: 'INDEPENDENT' },
    madeAt: event.timestamp,
    madeAtPrecision: event.timestamp ? 'EXACT' : 'DAY',
    text:
      `ACLED codes ${event.fatalities} reported ${event.fatalities === 1 ? 'fatality' : 'fatalities'} for event ${event.id}. ` +
      'This is ACLED\'s coded estimate from the reporting it cites (it takes the most conservative credible figure), not a count of its own, and covers all sides together.' +
      (event.notes ? `\n\nACLED notes: ${event.notes}` : ''),
    sourceIds,
    incidentIds: [incidentId],
    figures: [{
      externalId: `acled:${event.id}:fatalities:killed`,
      metric: 'KILLED',
      victimCategory: 'PEOPLE',
      side: 'UNSPECIFIED',
      victimDescription: 'fatalities as coded by ACLED (all sides together)',
      placeId,
      incidentId,
      quantity: { kind: 'EXACT', low: event.fatalities, high: event.fatalities, phrase: String(event.fatalities) },
    }],
  });
  context.events.push(...result.events);
  return !result.replayed;
}
