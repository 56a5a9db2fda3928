// Why a write (or a question) was refused: every refusal names the field as the client wrote it
// ("figures[0].quantity.high", "claimant.organisation"), the rule it breaks, and a code a
// program can branch on. A refused write changes nothing. The GraphQL schema turns these into
// typed results (InvalidInput, NotFound, Conflict); imports report them per line.

/** Machine-readable names of the rules an input can break (documented in the README). */
export const ISSUE_CODES = {
  REQUIRED: 'The field is required (missing or null).',
  INVALID_TYPE: 'The value is of the wrong type (text where a number is expected...).',
  UNKNOWN_FIELD: 'The field is not part of this kind of record.',
  EMPTY: 'Text that must not be empty (or only spaces) is.',
  TOO_LONG: 'Text is longer than its maximum, or a list holds more items than its maximum.',
  INVALID_TEXT: 'Text holds characters that cannot be stored (a NUL character, an unpaired surrogate).',
  OUT_OF_RANGE: 'A number lies outside its allowed range, or is not a whole number where one is required.',
  NOT_ONE_OF: 'The value is not one of the allowed values (an enum).',
  NOT_A_DATE: 'The text is not a date or date-time in a form the gateway reads.',
  IMPOSSIBLE_DATE: 'The date or time does not exist in the calendar (30 February, 25:00).',
  NO_TIME_ZONE: 'A date-time without "Z" or an offset.',
  YEAR_OUT_OF_RANGE: 'A year before 1000 or after 9999.',
  EMPTY_RANGE: 'A range whose start lies after its end.',
  NOT_AN_ID: 'The text is not an ID the gateway issued.',
  WRONG_ID_TYPE: 'An ID of another kind of record than the field expects.',
  NOT_A_URL: 'Not an absolute http:// or https:// address.',
  NOT_A_QUANTITY: 'Words sent alone as a quantity that the gateway cannot read as one (send kind, low and high instead).',
  INCONSISTENT: 'Fields that contradict each other (a RANGE whose high is not above its low...).',
  NOT_ALLOWED: 'A value the rules do not allow here (a parent that would make a cycle...).',
} as const;

export type IssueCode = keyof typeof ISSUE_CODES;

export interface InputIssue {
  /** Where in the input, as the client wrote it ("figures[0].quantity.low", "filter.between.from"). */
  field: string;
  /** The rule it breaks ("must be left out for AT_LEAST: the words give no upper bound"). */
  rule: string;
  code: IssueCode;
}

/** Input that breaks one or more rules. All problems are reported at once. */
export class InvalidInputError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((issue) => `${issue.field}: ${issue.rule}`).join('; '));
    this.name = 'InvalidInputError';
  }

  /** The same issues, under `prefix` ("input", "figures[0]"). */
  within(prefix: string): InvalidInputError {
    return new InvalidInputError(this.issues.map((issue) => ({ ...issue, field: joinPath(prefix, issue.field) })));
  }
}

/** A reference to something that does not exist. */
export class NotFoundError extends Error {
  constructor(
    readonly field: string,
    readonly entityType: string,
    /** The database id, or the external ID the reference gave. */
    readonly id: number | string,
    readonly by: 'id' | 'externalId' = 'id',
  ) {
    super(by === 'externalId' ? `${field}: no ${entityType} with your external ID "${id}"` : `${field}: no ${entityType} with this ID`);
    this.name = 'NotFoundError';
  }

  within(prefix: string): NotFoundError {
    return new NotFoundError(joinPath(prefix, this.field), this.entityType, this.id, this.by);
  }
}

export interface ConflictDetails {
  /** The version it is at now, when that is the conflict. */
  currentVersion?: number | null;
  /** The fields whose values differ from the earlier request with the same external ID or idempotency key. */
  differingFields?: string[];
  /** When the record was retracted, when the conflict is that it was. */
  retractedAt?: Date | null;
  retractionReason?: string | null;
}

/** Someone changed it first, it was retracted, or the request repeats an ID with other content. */
export class ConflictError extends Error {
  readonly currentVersion: number | null;
  readonly differingFields: string[];
  readonly retractedAt: Date | null;
  readonly retractionReason: string | null;

  constructor(
    readonly field: string,
    readonly reason: string,
    details: ConflictDetails = {},
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ConflictError';
    this.currentVersion = details.currentVersion ?? null;
    this.differingFields = details.differingFields ?? [];
    this.retractedAt = details.retractedAt ?? null;
    this.retractionReason = details.retractionReason ?? null;
  }

  within(prefix: string): ConflictError {
    return new ConflictError(joinPath(prefix, this.field), this.reason, this);
  }
}

/** `figures[0]` + `quantity.low` → `figures[0].quantity.low`; `sources` + `[1]` → `sources[1]`. */
export function joinPath(prefix: string, field: string): string {
  if (!prefix) return field;
  if (!field) return prefix;
  return field.startsWith('[') ? `${prefix}${field}` : `${prefix}.${field}`;
}

/** A refusal seen from one level up ("figures[0]"), whatever kind it is. */
export function refusalWithin(error: unknown, prefix: string): unknown {
  if (error instanceof InvalidInputError || error instanceof NotFoundError || error instanceof ConflictError) return error.within(prefix);
  return error;
}
