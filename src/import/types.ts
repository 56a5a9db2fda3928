// The shapes shared by the import formats and the batch writer.
import type { InputIssue } from '../rules/errors.js';
import type { EntityType } from '../rules/ids.js';
import type { WriteSession } from '../writes/session.js';

export type ImportFormat = 'ndjson' | 'acled';

/** A reference by the importer's external ID, and the input field that holds it (for the error message). */
export interface ExternalReference {
  field: string;
  entityType: EntityType;
  externalId: string;
}

/** A record that passed its checks and is ready to write. */
export interface PreparedRecord {
  line: number;
  /** What the record creates (null for updates and retractions). */
  entityType: EntityType | null;
  externalId: string | null;
  /** Records it points at by external ID: in the database already, or defined by an earlier record of the file. */
  needs: ExternalReference[];
  /** External IDs it defines (its own, its figures'). */
  defines: { entityType: EntityType; externalId: string }[];
  /** Writes the record with the write functions; what happened. */
  write(session: WriteSession): Promise<Exclude<RecordStatus, 'BAD'>>;
}

export type RecordStatus = 'CREATED' | 'CHANGED' | 'ALREADY_PRESENT' | 'BAD';

export interface RecordOutcome {
  line: number;
  status: RecordStatus;
  entityType: EntityType | null;
  externalId: string | null;
  /** Why a BAD record was refused: a sentence naming the field(s) and rule(s). */
  reason: string | null;
  issues: InputIssue[];
}

export interface BadLine {
  line: number;
  reason: string;
}
