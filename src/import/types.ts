// The shapes shared by the import formats and the batch writer.
import type { Prisma } from '../generated/prisma/client.js';
import type { ClaimEvent } from '../events/claim-events.js';
import type { Actor } from '../writes/audit.js';
import type { InputIssue } from '../writes/errors.js';

export type ImportFormat = 'ndjson' | 'acled';
export type Tx = Prisma.TransactionClient;

/** Entities a record may name by external ID. */
export type EntityType = 'Place' | 'Organisation' | 'Official' | 'Source' | 'Incident' | 'Statement' | 'Figure';

/** A reference by external ID, and the input field that holds it (for the error message). */
export interface Reference {
  field: string;
  entityType: EntityType;
  externalId: string;
}

/** What a write needs while it runs: who acts, and external IDs resolved to database ids. */
export interface WriteContext {
  actor: Actor;
  /** The database id of an entity by external ID; throws NotFoundError naming `field` when absent. */
  resolve(ref: Reference): Promise<number>;
  /** Tells the resolver about an entity this batch just created. */
  remember(entityType: EntityType, externalId: string, id: number): void;
  events: ClaimEvent[];
}

/** A record that passed validation and is ready to write. */
export interface PreparedRecord {
  line: number;
  entityType: EntityType;
  externalId: string;
  /** Entities that must exist (in the database, or defined by an earlier record of the file). */
  needs: Reference[];
  /** Figures whose external IDs this record would create: they must not belong to another statement. */
  figureExternalIds?: string[];
  /** Writes the record; true when something new was written, false when it was already there. */
  write(tx: Tx, context: WriteContext): Promise<boolean>;
}

export type RecordStatus = 'CREATED' | 'ALREADY_PRESENT' | 'BAD';

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
