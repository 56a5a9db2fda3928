// ACLED's CSV export → incidents, places, organisations, sources and one statement per event
// ("ACLED codes N fatalities"), all keyed by ACLED's own ids so a re-import finds them again.
// The mapping is documented in the README section "Bulk import"; its limits are noted there.
import type { IncidentKind, OrganisationKind, ParticipantRole, PlaceKind } from '../generated/prisma/enums.js';
import { readDate } from '../rules/dates.js';
import { InvalidInputError, type InputIssue } from '../rules/errors.js';
import { globalIdOf, type EntityType } from '../rules/ids.js';
import { createIncident } from '../writes/incidents.js';
import { createOrganisation } from '../writes/organisations.js';
import { createPlace } from '../writes/places.js';
import { externalIdsFor } from '../writes/references.js';
import type { WriteSession } from '../writes/session.js';
import { createSource } from '../writes/sources.js';
import { recordStatement } from '../writes/statements.js';
import { parseCsvRecord } from './read.js';
import type { PreparedRecord } from './types.js';

export const ACLED_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'event_type',
  'sub_event_type',
  'actor1',
  'actor2',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'time_precision',
  'source',
  'notes',
  'fatalities',
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

/**
 * ACLED dates: 2026-01-31 (current exports) or "31 January 2026" (older ones), as an ISO date
 * for the one date reader (src/rules/dates.ts), which refuses a day that does not exist.
 */
function acledDate(value: string): string | null {
  const words = /^(\d{1,2})[ -]([A-Za-z]+)[ -](\d{4})$/.exec(value);
  const iso = words ? `${words[3]}-${String(MONTHS.indexOf(words[2]!.toLowerCase()) + 1).padStart(2, '0')}-${words[1]!.padStart(2, '0')}` : value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
  try {
    readDate(iso);
    return iso;
  } catch {
    return null;
  }
}

/** Who an ACLED actor is: an organisation, or (civilians, protesters, unidentified groups) only words. */
export function acledActor(name: string): { organisation: { name: string; aliases: string[]; kind: OrganisationKind } | null } {
  if (/^(Civilians|Protesters|Rioters|Unidentified)\b/i.test(name)) return { organisation: null };
  // "BLA: Baloch Liberation Army" → name "Baloch Liberation Army", alias "BLA".
  const abbreviated = /^([^:]{1,20}):\s*(.+)$/.exec(name);
  const plain = abbreviated ? abbreviated[2]! : name;
  const aliases = abbreviated ? [abbreviated[1]!.trim(), name] : [];
  const kind: OrganisationKind = /^Military Forces of/i.test(name)
    ? 'MILITARY'
    : /^Police Forces of/i.test(name)
      ? 'POLICE'
      : /^Government of/i.test(name)
        ? 'GOVERNMENT'
        : /Army|Front|Liberation|Tehreek|Taliban|Lashkar|Jaish|Islamic State|Militia|Armed Group/i.test(name)
          ? 'ARMED_GROUP'
          : 'OTHER';
  return { organisation: { name: plain, aliases, kind } };
}

const ACLED_ORGANISATION = 'acled:organisation';
const ACLED_DATASET = 'acled:dataset';

/**
 * The record an external ID names for the importer (its own, or the operator's), or the one
 * `create` makes: places, actors and sources are shared by many events, and the first event
 * that names one creates it.
 */
async function ensure(session: WriteSession, entityType: EntityType, externalId: string, create: () => Promise<{ id: number }>): Promise<number> {
  const known = (await externalIdsFor(session, entityType, [externalId])).get(externalId);
  return known ?? (await create()).id;
}

/** An organisation named by ACLED: by ACLED's name, else by a name or alias already known, else new. */
async function organisationNamed(session: WriteSession, actor: string, organisation: NonNullable<ReturnType<typeof acledActor>['organisation']>) {
  const externalId = `acled-actor:${actor}`;
  return ensure(session, 'Organisation', externalId, async () => {
    const names = [organisation.name, ...organisation.aliases];
    const known = await session.tx.organisation.findFirst({
      where: { OR: [...names.map((name) => ({ name: { equals: name, mode: 'insensitive' as const } })), { aliases: { hasSome: names } }] },
      orderBy: { id: 'asc' },
      select: { id: true },
    });
    return (
      known ??
      createOrganisation(session, {
        externalId,
        name: organisation.name,
        aliases: organisation.aliases,
        kind: organisation.kind,
        notes: `Actor as named by ACLED: "${actor}"`,
      })
    );
  });
}

interface AcledEvent {
  id: string;
  /** The event's day, as an ISO date. */
  date: string;
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
  /** When ACLED recorded the event, as an ISO date-time. */
  timestamp: string | null;
}

/** Validates one ACLED CSV record against the header. Throws InvalidInputError naming every bad column. */
export function parseAcledRow(header: string[], text: string): AcledEvent {
  const missing = ACLED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0)
    throw new InvalidInputError(
      missing.map((column) => ({ field: column, rule: 'is a required column, missing from the header row', code: 'REQUIRED' as const })),
    );
  let fields: string[];
  try {
    fields = parseCsvRecord(text);
  } catch (error) {
    throw new InvalidInputError([{ field: '(row)', rule: `is not valid CSV: ${(error as Error).message}`, code: 'INVALID_TYPE' }]);
  }
  if (fields.length !== header.length) {
    throw new InvalidInputError([{ field: '(row)', rule: `has ${fields.length} fields; the header has ${header.length}`, code: 'INVALID_TYPE' }]);
  }
  const row = (column: string) => (fields[header.indexOf(column)] ?? '').trim();
  const issues: InputIssue[] = [];
  const rule = (field: string, message: string, code: InputIssue['code'] = 'INVALID_TYPE') => issues.push({ field, rule: message, code });

  const id = row('event_id_cnty');
  if (!/^[A-Za-z]{2,4}\d+$/.test(id)) rule('event_id_cnty', 'must be an ACLED event id (country letters and a number, e.g. PAK12345)');
  const date = acledDate(row('event_date'));
  if (!date) rule('event_date', 'must be a day that exists, written 2026-01-31 or 31 January 2026', 'NOT_A_DATE');
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
  const timestamp = header.includes('timestamp') && /^\d+$/.test(row('timestamp')) ? new Date(Number(row('timestamp')) * 1000).toISOString() : null;
  if (issues.length > 0) throw new InvalidInputError(issues);

  const country = header.includes('country') ? row('country') : '';
  const levels: [string, PlaceKind][] = [
    [country, 'COUNTRY'],
    [row('admin1'), 'PROVINCE'],
    [row('admin2'), 'DISTRICT'],
    [row('admin3'), 'AREA'],
    [row('location'), 'CITY'],
  ];
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
  return {
    line,
    entityType: 'Incident',
    externalId: `acled:${event.id}`,
    needs: [],
    defines: [{ entityType: 'Incident', externalId: `acled:${event.id}` }],
    write: (session) => writeAcledEvent(session, event),
  };
}

const ref = (externalId: string) => ({ externalId });

async function writeAcledEvent(session: WriteSession, event: AcledEvent): Promise<'CREATED' | 'ALREADY_PRESENT'> {
  // Places: country > admin1 > admin2 > admin3 > location, each keyed by its path.
  let parent: string | null = null;
  const path: string[] = [];
  for (const [n, level] of event.places.entries()) {
    path.push(level.name);
    const isLocation = n === event.places.length - 1 && level.kind === 'CITY';
    const externalId = `acled-place:${path.join('/')}`;
    const parentRef = parent;
    await ensure(session, 'Place', externalId, () =>
      createPlace(session, {
        externalId,
        name: level.name,
        kind: level.kind,
        parent: parentRef && ref(parentRef),
        latitude: isLocation ? event.latitude : null,
        longitude: isLocation ? event.longitude : null,
        description: isLocation && event.geoPrecision ? GEO_PRECISION[event.geoPrecision] : null,
      }),
    );
    parent = externalId;
  }

  // Participants: actor1 as perpetrator, actor2 as target (civilians: victims); only words for
  // actors that are not organisations (civilians, protesters, unidentified armed groups).
  const participants: { role: ParticipantRole; description: string; organisation: string | null }[] = [];
  for (const [actor, role] of [
    [event.actor1, 'PERPETRATOR'],
    [event.actor2, 'TARGET'],
  ] as const) {
    if (!actor) continue;
    const { organisation } = acledActor(actor);
    participants.push({
      role: role === 'TARGET' && /^Civilians\b/i.test(actor) ? 'VICTIM' : role,
      description: `${actor} (ACLED ${role === 'PERPETRATOR' ? 'actor1' : 'actor2'})`,
      organisation: organisation ? globalIdOf('Organisation', await organisationNamed(session, actor, organisation)) : null,
    });
  }

  // "Quetta, Balochistan" rather than "Quetta, Quetta": the place and the next differently named one above it.
  const where = event.places
    .map((p) => p.name)
    .reverse()
    .filter((name, n, names) => n === 0 || name !== names[n - 1]);
  const incident = `acled:${event.id}`;
  await ensure(session, 'Incident', incident, () =>
    createIncident(session, {
      externalId: incident,
      title: `${event.subEventType || event.eventType}${where.length > 0 ? `: ${where.slice(0, 2).join(', ')}` : ''}`,
      kind: acledKind(event.eventType, event.subEventType),
      description: [event.notes, `ACLED event ${event.id}: ${event.eventType} / ${event.subEventType || '—'}.`].filter(Boolean).join('\n\n'),
      startedAt: event.date,
      datePrecision: event.precision,
      places: parent ? [ref(parent)] : [],
      participants,
    }),
  );

  await ensure(session, 'Organisation', ACLED_ORGANISATION, async () => {
    const known = await session.tx.organisation.findFirst({
      where: { OR: [{ name: { equals: 'ACLED', mode: 'insensitive' } }, { aliases: { has: 'ACLED' } }] },
      orderBy: { id: 'asc' },
    });
    return (
      known ??
      createOrganisation(session, {
        externalId: ACLED_ORGANISATION,
        name: 'Armed Conflict Location & Event Data (ACLED)',
        aliases: ['ACLED'],
        kind: 'NGO',
        description: 'Codes political violence and protest events from published reporting.',
      })
    );
  });
  const acled = globalIdOf(
    'Organisation',
    (await externalIdsFor(session, 'Organisation', [ACLED_ORGANISATION])).get(ACLED_ORGANISATION) ??
      (
        await session.tx.organisation.findFirstOrThrow({
          where: { OR: [{ name: { equals: 'ACLED', mode: 'insensitive' } }, { aliases: { has: 'ACLED' } }] },
          orderBy: { id: 'asc' },
        })
      ).id,
  );
  await ensure(session, 'Source', ACLED_DATASET, () =>
    createSource(session, {
      externalId: ACLED_DATASET,
      title: 'ACLED data export',
      description: 'ACLED event data (CSV export)',
      kind: 'DATASET',
      publisher: acled,
      url: 'https://acleddata.com',
    }),
  );
  const sources = [ref(ACLED_DATASET)];
  if (event.source) {
    const externalId = `acled-source:${event.source}`;
    await ensure(session, 'Source', externalId, () =>
      createSource(session, { externalId, description: `Reporting cited by ACLED: ${event.source}`, kind: 'OTHER' }),
    );
    sources.push(ref(externalId));
  }

  const result = await recordStatement(session, {
    externalId: `acled:${event.id}:fatalities`,
    kind: 'CASUALTY_REPORT',
    claimant: { kind: 'ORGANISATION', organisation: acled, description: 'ACLED (coded event data)', affiliation: 'INDEPENDENT' },
    madeAt: event.timestamp,
    madeAtPrecision: event.timestamp ? 'EXACT' : 'DAY',
    text:
      `ACLED codes ${event.fatalities} reported ${event.fatalities === 1 ? 'fatality' : 'fatalities'} for event ${event.id}. ` +
      "This is ACLED's coded estimate from the reporting it cites (it takes the most conservative credible figure), not a count of its own, and covers all sides together." +
      (event.notes ? `\n\nACLED notes: ${event.notes}` : ''),
    sources,
    incidents: [ref(incident)],
    figures: [
      {
        externalId: `acled:${event.id}:fatalities:killed`,
        metric: 'KILLED',
        victimCategory: 'PEOPLE',
        side: 'UNSPECIFIED',
        victimDescription: 'fatalities as coded by ACLED (all sides together)',
        place: parent && ref(parent),
        incident: ref(incident),
        quantity: { kind: 'EXACT', low: event.fatalities, high: event.fatalities, phrase: String(event.fatalities) },
      },
    ],
  });
  return result.replayed ? 'ALREADY_PRESENT' : 'CREATED';
}
