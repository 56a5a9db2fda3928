// Checking input against its rules (zod schemas built from the field vocabulary in fields.ts),
// with one wording for every broken rule: never a validator's own text ("expected object,
// received undefined"), always the field as the client wrote it, the rule, and a code.
import type { z } from 'zod';
import { InvalidInputError, type InputIssue, type IssueCode } from './errors.js';

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  date: 'a date',
};

/** Field paths as clients write them: `figures[0].quantity.low`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}

/** The sentence for an issue that carries no message of its own. */
const errorMap = (issue: z.core.$ZodRawIssue): string | undefined => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      if (issue.input === null) return 'must not be null: it is required';
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must hold at most ${issue.maximum} items`;
      return `must be at most ${issue.maximum}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `must hold at least ${issue.minimum} items`;
      return `must be at least ${issue.minimum}`;
    case 'invalid_value':
      if (issue.input === undefined) return 'is required';
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return 'is not a field of this record';
    case 'invalid_union':
      return 'is not any of the accepted forms';
    default:
      return undefined;
  }
};

function codeOf(issue: Issue): IssueCode {
  const given = (issue as { params?: { code?: IssueCode } }).params?.code;
  if (given) return given;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null ? 'REQUIRED' : issue.expected === 'int' ? 'OUT_OF_RANGE' : 'INVALID_TYPE';
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array' ? 'TOO_LONG' : 'OUT_OF_RANGE';
    case 'too_small':
      return issue.origin === 'string' ? 'EMPTY' : 'OUT_OF_RANGE';
    case 'invalid_value':
      return issue.input === undefined ? 'REQUIRED' : 'NOT_ONE_OF';
    case 'unrecognized_keys':
      return 'UNKNOWN_FIELD';
    default:
      return 'INCONSISTENT';
  }
}

/** Every broken rule of a failed parse, one per field (an unknown key is one issue per key). */
export function issuesOf(error: z.ZodError, prefix = ''): InputIssue[] {
  return error.issues.flatMap((issue): InputIssue[] => {
    const at = fieldPath([...(prefix ? [prefix] : []), ...issue.path]);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: at ? `${at}.${key}` : key, rule: 'is not a field of this record', code: 'UNKNOWN_FIELD' }));
    }
    return [{ field: at, rule: issue.message, code: codeOf(issue) }];
  });
}

/** Parses input against its rules, or throws InvalidInputError naming every broken field and rule. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input, { error: errorMap, reportInput: true });
  if (result.success) return result.data;
  throw new InvalidInputError(issuesOf(result.error, prefix));
}
