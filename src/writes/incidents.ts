// Incidents: attacks, abductions, operations. They nest (a coordinated attack and its parts),
// happen at places, have participants, and are dated as periods: from `startedAt` to the end of
// `endedAt` (or of `startedAt`), as precisely as `datePrecision` says. An incident known only to
// have happened "on or before 30 January" has no `startedAt` and `endedAt` 30 January.
import { DatePrecision, IncidentKind, ParticipantRole } from '../generated/prisma/enums.js';
import { DateRuleError, withPrecision, type StatedDate } from '../rules/dates.js';
import { InvalidInputError, type InputIssue } from '../rules/errors.js';
import { date, enumOf, externalId, inputObject, ref, refList, text, updatable } from '../rules/fields.js';
import { parseInput } from '../rules/parse.js';
import { z } from 'zod';
import { EXPECTED_UPDATED_AT, EXTERNAL_ID, UPDATE_RULE } from './docs.js';
import { createRecord, given, refuseIf, refuseParentCycle, updateRecord, type EntityWriteResult } from './editing.js';
import { resolveReferences } from './references.js';
import type { WriteSession } from './session.js';

const participantInput = inputObject(
  'IncidentParticipantInput',
  'Someone who took part in an incident: an organisation, an official, or only a description ("armed men").',
  {
    role: enumOf(ParticipantRole, 'Perpetrator, target, responder, operator or victim.'),
    organisation: ref(['Organisation'], 'The organisation, when one is named (not together with `official`).').nullish(),
    official: ref(['Official'], 'The official, when one is involved (not together with `organisation`).').nullish(),
    description: text(500, 'How the reporting describes the participant ("militants").'),
    basis: ref(['Statement'], 'The statement the participation rests on (a responsibility claim).').nullish(),
  },
  (participant, refuse) => {
    if (participant.organisation && participant.official)
      refuse('official', 'give an organisation or an official, not both (add two participants)', 'INCONSISTENT');
  },
);

const incidentFields = {
  title: text(500, 'A short neutral title.'),
  kind: enumOf(IncidentKind, 'Attack, abduction, operation...'),
  description: text(10_000, 'What happened, in a few sentences.').nullish(),
  startedAt: date('When it happened (or began), if the reporting says.').nullish(),
  endedAt: date(
    'When it ended, for incidents over several days (not before `startedAt`); alone, the latest day it can have happened ("on or before 30 January").',
  ).nullish(),
  datePrecision: enumOf(DatePrecision, 'How precisely the dates are known; by default, as precisely as they are written.').nullish(),
  parent: ref(['Incident'], 'The larger incident this is part of. Must not be the incident itself or one of its parts.').nullish(),
  places: refList(['Place'], 100, 'Where it happened. In an update, the list replaces all places.').nullish(),
  participants: z
    .array(participantInput)
    .max(100, 'must hold at most 100 items')
    .meta({ description: 'Who took part and how (at most 100). In an update, the list replaces all participants.' })
    .nullish(),
};

export const createIncidentInput = inputObject('CreateIncidentInput', 'A new incident.', { externalId: externalId(EXTERNAL_ID).nullish(), ...incidentFields });

export const updateIncidentInput = inputObject('UpdateIncidentInput', `Changes to an incident. ${UPDATE_RULE}`, {
  incident: ref(['Incident'], 'The incident to change.'),
  expectedUpdatedAt: date(EXPECTED_UPDATED_AT),
  ...updatable(incidentFields),
});

interface Dates {
  startedAt: Date | null;
  endedAt: Date | null;
  datePrecision: DatePrecision;
}

/**
 * The incident's dates as stored: each as precise as `precision` (by default, as written), the
 * end not before the start.
 */
function datesOf(
  startedAt: StatedDate | null | undefined,
  endedAt: StatedDate | null | undefined,
  precision: DatePrecision | null | undefined,
  fallback: DatePrecision,
): Dates {
  const chosen = precision ?? startedAt?.precision ?? endedAt?.precision ?? fallback;
  const issues: InputIssue[] = [];
  const at = (field: 'startedAt' | 'endedAt', value: StatedDate | null | undefined) => {
    if (!value) return null;
    try {
      return withPrecision(value, chosen).at;
    } catch (error) {
      if (!(error instanceof DateRuleError)) throw error;
      issues.push({ field, rule: `${error.rule} (datePrecision is ${chosen})`, code: error.code });
      return null;
    }
  };
  const dates = { startedAt: at('startedAt', startedAt), endedAt: at('endedAt', endedAt), datePrecision: chosen };
  if (issues.length) throw new InvalidInputError(issues);
  return dates;
}

function refuseEndBeforeStart(dates: Dates, field: 'startedAt' | 'endedAt') {
  refuseIf([
    !!dates.startedAt &&
      !!dates.endedAt &&
      dates.endedAt < dates.startedAt && {
        field,
        rule: `endedAt (${dates.endedAt.toISOString()}) must not be before startedAt (${dates.startedAt.toISOString()})`,
        code: 'EMPTY_RANGE',
      },
  ]);
}

type Participant = { role: ParticipantRole; organisation?: number | null; official?: number | null; description: string; basis?: number | null };
const participantRows = (participants: Participant[]) =>
  participants.map((p) => ({
    role: p.role,
    organisationId: p.organisation ?? null,
    officialId: p.official ?? null,
    description: p.description,
    basisId: p.basis ?? null,
  }));
const placeRows = (places: number[]) => [...new Set(places)].sort((a, b) => a - b).map((placeId) => ({ placeId }));

export async function createIncident(session: WriteSession, raw: unknown): Promise<EntityWriteResult> {
  const input = await resolveReferences(session, parseInput(createIncidentInput, raw));
  const dates = datesOf(input.startedAt, input.endedAt, input.datePrecision, 'DAY');
  refuseEndBeforeStart(dates, 'endedAt');
  return createRecord(session, 'Incident', input, () =>
    session.tx.incident.create({
      data: {
        title: input.title,
        kind: input.kind,
        description: input.description,
        ...dates,
        parentId: input.parent,
        places: { create: placeRows(input.places ?? []) },
        participants: { create: participantRows(input.participants ?? []) },
      },
    }),
  );
}

export async function updateIncident(session: WriteSession, raw: unknown): Promise<EntityWriteResult> {
  const input = await resolveReferences(session, parseInput(updateIncidentInput, raw));
  const { incident: id, expectedUpdatedAt, startedAt, endedAt, datePrecision, parent, places, participants, ...fields } = input;
  const before = await session.tx.incident.findUniqueOrThrow({ where: { id } });
  const datesGiven = startedAt !== undefined || endedAt !== undefined || datePrecision != null;
  const dates = datesGiven
    ? datesOf(
        startedAt === undefined ? before.startedAt && { at: before.startedAt, precision: before.datePrecision } : startedAt,
        endedAt === undefined ? before.endedAt && { at: before.endedAt, precision: before.datePrecision } : endedAt,
        datePrecision ?? (startedAt ? startedAt.precision : endedAt ? endedAt.precision : before.datePrecision),
        before.datePrecision,
      )
    : null;
  if (dates) refuseEndBeforeStart(dates, endedAt !== undefined ? 'endedAt' : 'startedAt');
  const data = { ...given({ ...fields, parentId: parent }), ...(dates ?? {}) };
  await refuseParentCycle(session.tx, 'Incident', id, data.parentId);
  // null clears the places (or participants); left out, they stay.
  const newPlaces = places === undefined ? undefined : placeRows(places ?? []);
  const newParticipants = participants === undefined ? undefined : participantRows(participants ?? []);
  const changes = { ...data, ...(newPlaces ? { places: newPlaces } : {}), ...(newParticipants ? { participants: newParticipants } : {}) };
  return updateRecord(session, 'Incident', id, expectedUpdatedAt.at, changes, async (updatedAt) => {
    const { count } = await session.tx.incident.updateMany({ where: { id, updatedAt: expectedUpdatedAt.at }, data: { ...data, updatedAt } });
    if (count === 0) return 0;
    if (newPlaces) {
      await session.tx.incidentPlace.deleteMany({ where: { incidentId: id } });
      await session.tx.incidentPlace.createMany({ data: newPlaces.map((row) => ({ ...row, incidentId: id })) });
    }
    if (newParticipants) {
      await session.tx.incidentParticipant.deleteMany({ where: { incidentId: id } });
      await session.tx.incidentParticipant.createMany({ data: newParticipants.map((row) => ({ ...row, incidentId: id })) });
    }
    return count;
  });
}
