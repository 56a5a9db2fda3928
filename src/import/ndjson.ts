// The NDJSON import format: one JSON object per line, each one write the GraphQL API can make,
// with the same input and the same rules (the write functions of src/writes/ are called with
// it). `type` names the write: the mutation's name ("recordStatement", "reviseFigure",
// "retractStatement", "updatePlace"…) or, for creations, the record ("statement", the default,
// "place", "organisation", "official", "source", "incident"). Records name each other by
// external ID (`{ "externalId": "seed:bla" }`) or by global ID, never by database id, so a file
// can be re-imported and can carry its own places, organisations and incidents.
import type { z } from 'zod';
import { InvalidInputError } from '../rules/errors.js';
import type { EntityType } from '../rules/ids.js';
import { parseInput } from '../rules/parse.js';
import { recordStatementInput, retractFigureInput, retractStatementInput, reviseFigureInput } from '../writes/claim-inputs.js';
import type { EntityWriteResult } from '../writes/editing.js';
import { createIncident, createIncidentInput, updateIncident, updateIncidentInput } from '../writes/incidents.js';
import { createOfficial, createOfficialInput, updateOfficial, updateOfficialInput } from '../writes/officials.js';
import { createOrganisation, createOrganisationInput, updateOrganisation, updateOrganisationInput } from '../writes/organisations.js';
import { createPlace, createPlaceInput, updatePlace, updatePlaceInput } from '../writes/places.js';
import { referencesIn } from '../writes/references.js';
import { retractFigure, retractStatement, reviseFigure } from '../writes/revisions.js';
import type { WriteSession } from '../writes/session.js';
import { createSource, createSourceInput, updateSource, updateSourceInput } from '../writes/sources.js';
import { recordStatement, type RecordResult } from '../writes/statements.js';
import type { PreparedRecord } from './types.js';

interface RecordType {
  input: z.ZodType;
  write: (session: WriteSession, input: unknown) => Promise<RecordResult | EntityWriteResult>;
  /** What a creation makes: it needs an external ID (so that importing again never duplicates). */
  creates: EntityType | null;
  /** CREATED or CHANGED when something was written. */
  written: 'CREATED' | 'CHANGED';
}

const creation = (entityType: EntityType, input: z.ZodType, write: RecordType['write']): RecordType => ({
  input,
  write,
  creates: entityType,
  written: 'CREATED',
});
const change = (input: z.ZodType, write: RecordType['write']): RecordType => ({ input, write, creates: null, written: 'CHANGED' });

const MUTATIONS: Record<string, RecordType> = {
  recordStatement: creation('Statement', recordStatementInput, recordStatement),
  reviseFigure: creation('Statement', reviseFigureInput, reviseFigure),
  retractStatement: change(retractStatementInput, retractStatement),
  retractFigure: change(retractFigureInput, retractFigure),
  createPlace: creation('Place', createPlaceInput, createPlace),
  updatePlace: change(updatePlaceInput, updatePlace),
  createOrganisation: creation('Organisation', createOrganisationInput, createOrganisation),
  updateOrganisation: change(updateOrganisationInput, updateOrganisation),
  createOfficial: creation('Official', createOfficialInput, createOfficial),
  updateOfficial: change(updateOfficialInput, updateOfficial),
  createSource: creation('Source', createSourceInput, createSource),
  updateSource: change(updateSourceInput, updateSource),
  createIncident: creation('Incident', createIncidentInput, createIncident),
  updateIncident: change(updateIncidentInput, updateIncident),
};

/** The record names of creations, as earlier versions of the format wrote them. */
const RECORD_NAMES: Record<string, string> = {
  statement: 'recordStatement',
  revision: 'reviseFigure',
  place: 'createPlace',
  organisation: 'createOrganisation',
  official: 'createOfficial',
  source: 'createSource',
  incident: 'createIncident',
};

export const NDJSON_TYPES = [...Object.keys(RECORD_NAMES), ...Object.keys(MUTATIONS)];

const line = (field: string, rule: string, code: 'INVALID_TYPE' | 'NOT_ONE_OF' | 'REQUIRED') => new InvalidInputError([{ field, rule, code }]);

/** Parses and checks one NDJSON line (every rule that needs no database). Throws InvalidInputError. */
export function prepareNdjson(lineNumber: number, text: string): PreparedRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw line('(line)', `is not valid JSON: ${(error as Error).message}`, 'INVALID_TYPE');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw line('(line)', 'must be one JSON object', 'INVALID_TYPE');
  const { type = 'statement', ...input } = value as Record<string, unknown>;
  const name = typeof type === 'string' ? (RECORD_NAMES[type] ?? type) : '';
  const recordType = MUTATIONS[name];
  if (!recordType) throw line('type', `must be one of ${NDJSON_TYPES.join(', ')}`, 'NOT_ONE_OF');
  const parsed = parseInput(recordType.input, input) as { externalId?: string | null; figures?: { externalId?: string | null }[] | null };
  if (recordType.creates && !parsed.externalId)
    throw line('externalId', 'is required in an import, so that importing the file again creates nothing twice', 'REQUIRED');
  const defines = [
    ...(recordType.creates && parsed.externalId ? [{ entityType: recordType.creates, externalId: parsed.externalId }] : []),
    ...(parsed.figures ?? []).flatMap((figure) => (figure.externalId ? [{ entityType: 'Figure' as const, externalId: figure.externalId }] : [])),
  ];
  return {
    line: lineNumber,
    entityType: recordType.creates,
    externalId: parsed.externalId ?? null,
    needs: referencesIn(parsed).flatMap(({ field, reference }) =>
      reference.externalId !== null ? [{ field, entityType: reference.entityType, externalId: reference.externalId }] : [],
    ),
    defines,
    write: async (session) => ((await recordType.write(session, input)).replayed ? 'ALREADY_PRESENT' : recordType.written),
  };
}
