// Query parameters read by name and type, for the HTTP endpoints that take them (exports, charts):
// every problem is collected, so a 400 names each bad parameter and its rule at once.
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { DateRange } from '../claims/filters.js';
import { MAX_ID } from '../writes/rules.js';

export interface ParameterError {
  parameter: string;
  rule: string;
  value?: string;
}

type Enum = Record<string, string>;

/** Reads query parameters by name and type, collecting every problem instead of stopping at one. */
export class Parameters {
  readonly errors: ParameterError[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly params: URLSearchParams) {}

  /** Names nobody asked for: call after reading all known parameters (`path` names the endpoint). */
  rejectUnknown(path: string) {
    for (const name of new Set(this.params.keys())) {
      if (!this.seen.has(name)) {
        this.errors.push({
          parameter: name,
          rule: `unknown parameter; ${path} accepts: ${[...this.seen].join(', ')}`,
        });
      }
    }
  }

  private single(name: string): string | undefined {
    this.seen.add(name);
    const values = this.params.getAll(name);
    if (values.length === 0) return undefined;
    if (values.length > 1) {
      this.errors.push({ parameter: name, rule: 'may be given only once', value: values.join(', ') });
      return undefined;
    }
    if (values[0]!.trim() === '') {
      this.errors.push({ parameter: name, rule: 'must not be empty (leave the parameter out instead)', value: values[0] });
      return undefined;
    }
    return values[0]!.trim();
  }

  /** Comma-separated values (`metrics=KILLED,INJURED`); repeating the parameter adds more. */
  enumList<E extends Enum>(name: string, values: E): E[keyof E][] | undefined {
    this.seen.add(name);
    const given = this.params.getAll(name);
    if (given.length === 0) return undefined;
    const items = given.flatMap((value) => value.split(',')).map((item) => item.trim());
    const allowed = Object.values(values);
    const bad = items.filter((item) => !allowed.includes(item));
    if (bad.length > 0 || items.length === 0) {
      this.errors.push({
        parameter: name,
        rule: `a comma-separated list of: ${allowed.join(', ')} (upper case, as in GraphQL)`,
        value: given.join(','),
      });
      return undefined;
    }
    return [...new Set(items)] as E[keyof E][];
  }

  /** One enum value (`metric=KILLED`); `required` adds an error when the parameter is missing. */
  enumValue<E extends Enum>(name: string, values: E, options: { required?: boolean } = {}): E[keyof E] | undefined {
    const value = this.single(name);
    const allowed = Object.values(values);
    if (value === undefined) {
      if (options.required && !this.errors.some((error) => error.parameter === name)) {
        this.errors.push({ parameter: name, rule: `required; one of: ${allowed.join(', ')}` });
      }
      return undefined;
    }
    if (!allowed.includes(value)) {
      this.errors.push({ parameter: name, rule: `one of: ${allowed.join(', ')} (upper case, as in GraphQL)`, value });
      return undefined;
    }
    return value as E[keyof E];
  }

  /** A whole number from `min` to `max`. */
  integer(name: string, min: number, max: number): number | undefined {
    const value = this.single(name);
    if (value === undefined) return undefined;
    const number = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(number >= min && number <= max)) {
      this.errors.push({ parameter: name, rule: `a whole number from ${min} to ${max}`, value });
      return undefined;
    }
    return number;
  }

  /** A global ID as GraphQL returns it in `id` fields, of the given type. */
  id(name: string, typename: string): number | undefined {
    const value = this.single(name);
    return value === undefined ? undefined : this.globalId(name, value, typename);
  }

  /** `value` (a query parameter or a path segment called `name`) as the id of a `typename`. */
  globalId(name: string, value: string, typename: string): number | undefined {
    const rule = `a global ID of a ${typename}, as returned in the "id" field of a ${typename} in GraphQL`;
    let decoded: { typename: string; id: string };
    try {
      decoded = decodeGlobalID(value);
    } catch {
      this.errors.push({ parameter: name, rule, value });
      return undefined;
    }
    if (decoded.typename !== typename) {
      this.errors.push({ parameter: name, rule: `${rule}; this is the ID of a ${decoded.typename}`, value });
      return undefined;
    }
    const id = Number(decoded.id);
    if (!/^\d+$/.test(decoded.id) || !Number.isSafeInteger(id) || id < 1 || id > MAX_ID) {
      this.errors.push({ parameter: name, rule, value });
      return undefined;
    }
    return id;
  }

  /** An ISO 8601 date ("2026-01-31", midnight UTC) or date-time with a zone ("2026-01-31T12:00:00Z"). */
  date(name: string): Date | undefined {
    const value = this.single(name);
    if (value === undefined) return undefined;
    const match = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/.exec(value);
    const date = match ? new Date(value) : null;
    // JavaScript rolls 2026-02-30 over to 2 March: the day must survive the round trip.
    const sameDay =
      match && date && !Number.isNaN(date.getTime()) &&
      new Date(Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!)).toISOString().slice(0, 10) === `${match[1]}-${match[2]}-${match[3]}`;
    if (!date || !sameDay) {
      this.errors.push({
        parameter: name,
        rule: 'an ISO 8601 date such as "2026-01-31" or a date-time with a time zone such as "2026-01-31T14:27:00Z"',
        value,
      });
      return undefined;
    }
    return date;
  }

  dateRange(name: string): DateRange | undefined {
    const from = this.date(`${name}.from`);
    const to = this.date(`${name}.to`);
    return from || to ? { from, to } : undefined;
  }

  boolean(name: string): boolean | undefined {
    const value = this.single(name);
    if (value === undefined) return undefined;
    if (value === 'true') return true;
    if (value === 'false') return false;
    this.errors.push({ parameter: name, rule: 'true or false', value });
    return undefined;
  }
}

/** 400 with a JSON body naming each bad parameter, its rule and the value given. */
export function parameterErrorResponse(errors: ParameterError[]): Response {
  return Response.json(
    {
      errors: errors.map((error) => ({
        ...error,
        message: `Invalid parameter ${error.parameter}: must be ${error.rule}${error.value === undefined ? '' : `, got ${JSON.stringify(error.value)}`}`,
      })),
    },
    { status: 400, headers: { 'cache-control': 'no-store' } },
  );
}
