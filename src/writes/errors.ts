// Expected reasons a write is refused. Each names the field and the rule, and becomes a typed
// GraphQL result (not a generic error); the CLI import prints them with the line number.

export interface InputIssue {
  /** Where in the input, as a path ("figures[0].quantity.low"). */
  field: string;
  /** The rule it breaks ("must not be above high (5)"). */
  rule: string;
}

/** Input that breaks one or more rules. All problems are reported at once. */
export class InvalidInputError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((issue) => `${issue.field}: ${issue.rule}`).join('; '));
    this.name = 'InvalidInputError';
  }
}

/** A reference to something that does not exist (or not as the type expected). */
export class NotFoundError extends Error {
  constructor(
    readonly field: string,
    readonly entityType: string,
    readonly id: number | string,
  ) {
    super(`${field}: no ${entityType} with id ${id}`);
    this.name = 'NotFoundError';
  }
}

/** Someone else changed it first: re-read and try again. */
export class ConflictError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly currentVersion: number | null = null,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ConflictError';
  }
}
