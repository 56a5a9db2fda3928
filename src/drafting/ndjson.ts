// A draft as a partner's NDJSON (src/import/ndjson.ts): entity lines for what the draft proposes
// new (organisations, officials, places, sources, incidents), then one statement line per drafted
// statement, everything referenced by external ID. For review before `npm run import`.
import type { Known } from './known.js';
import { figureExternalId, recordInput, type References } from './record-input.js';
import type { Draft } from './types.js';

type Ref = { externalId: string };

export interface NdjsonDraft {
  lines: object[];
  /** What could not be put in the file, and why. */
  warnings: string[];
}

const day = (date: Date | null) => (date ? date.toISOString() : null);
const compact = <T extends object>(record: T) =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))) as Partial<T>;

/** The draft's records for the NDJSON import. `emitted` holds external IDs already written (shared across texts). */
export function draftToNdjson(draft: Draft, known: Known, emitted: Set<string>): NdjsonDraft {
  const lines: object[] = [];
  const warnings: string[] = [];
  const emit = (record: { type: string; externalId: string }) => {
    if (emitted.has(record.externalId)) return;
    emitted.add(record.externalId);
    lines.push(compact(record));
  };
  /** A known record by the reader's external ID; one without any is left out, with a warning naming it (`label`). */
  const externalIdOf = (table: 'organisations' | 'officials' | 'places' | 'incidents' | 'sources', id: number, label: string): Ref | null => {
    const row = (known[table] as { id: number; externalId: string | null }[]).find((r) => r.id === id);
    if (row?.externalId) return { externalId: row.externalId };
    warnings.push(`${label} has no external ID, so the file cannot refer to it: left out`);
    return null;
  };
  const proposed = (index: number | null | undefined): Ref | null => {
    if (index === null || index === undefined || index < 0) return null;
    const entity = draft.proposedEntities[index]!;
    if (entity.entityType === 'Organisation')
      emit({ type: 'organisation', externalId: entity.externalId, name: entity.name!, kind: entity.kind ?? 'OTHER' } as never);
    else emit({ type: 'official', externalId: entity.externalId, name: entity.name, description: entity.roleTitle ?? entity.description } as never);
    return { externalId: entity.externalId };
  };
  const refs: References<Ref> = {
    organisation: (id, p) => (id !== null ? externalIdOf('organisations', id, `Organisation ${id}`) : proposed(p)),
    official: (id, p) => (id !== null ? externalIdOf('officials', id, `Official ${id}`) : proposed(p)),
    place: (id, p) => {
      if (id !== null) return externalIdOf('places', id, `Place ${id}`);
      if (p === null || p === undefined) return null;
      const place = draft.proposedPlaces[p]!;
      emit({
        type: 'place',
        externalId: place.externalId,
        name: place.name,
        kind: place.kind,
        parent: place.parentId !== null ? externalIdOf('places', place.parentId, `Place ${place.parentId}`) : null,
      } as never);
      return { externalId: place.externalId };
    },
    incident: (i) => {
      const incident = draft.incidents[i]!;
      if (incident.incidentId !== null) return externalIdOf('incidents', incident.incidentId, `Incident "${incident.title}"`);
      emit({
        type: 'incident',
        externalId: incident.externalId,
        title: incident.title,
        kind: incident.kind,
        startedAt: day(incident.startedAt),
        datePrecision: 'DAY',
        places: incident.placeIds.map((id) => externalIdOf('places', id, `Place ${id}`)).filter((r): r is Ref => r !== null),
      } as never);
      return { externalId: incident.externalId };
    },
    source: (i) => {
      const source = draft.sources[i]!;
      if (source.sourceId !== null) return externalIdOf('sources', source.sourceId, `Source "${source.description}"`);
      const publisher =
        source.publisherId !== null
          ? externalIdOf('organisations', source.publisherId, `Organisation ${source.publisherId}`)
          : source.publisherName
            ? (proposed(draft.proposedEntities.findIndex((e) => e.entityType === 'Organisation' && e.name === source.publisherName)) ?? null)
            : null;
      emit({
        type: 'source',
        externalId: source.externalId,
        title: source.title,
        description: source.description,
        kind: source.kind,
        publisher,
        byline: source.byline,
        publishedAt: day(source.publishedAt),
      } as never);
      return { externalId: source.externalId };
    },
  };
  draft.statements.forEach((statement, n) => {
    const input = recordInput(draft, statement, n, refs);
    if ((input.claimant.kind === 'OFFICIAL' && !input.claimant.official) || (input.claimant.kind === 'ORGANISATION' && !input.claimant.organisation)) {
      warnings.push(`statement ${n} ("${statement.text.slice(0, 50)}…"): its claimant cannot be referred to: left out`);
      return;
    }
    lines.push(
      compact({
        type: 'statement',
        ...input,
        claimant: compact(input.claimant),
        madeAt: day(input.madeAt),
        // A revision names the drafted figure it revises, recorded by an earlier line of the same
        // import, so at its first version.
        figures: input.figures.map((f, m) => {
          const revised = statement.figures[m]!.supersedes;
          const supersedes = revised ? { supersedes: { externalId: figureExternalId(draft, revised.statement, revised.figure) }, supersedesVersion: 1 } : {};
          return compact({ ...f, ...supersedes, quantity: compact(f.quantity) });
        }),
      }),
    );
  });
  return { lines, warnings };
}
