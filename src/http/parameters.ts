// Query parameters for the HTTP routes that take them (exports, charts, pages), checked by the
// same rules as GraphQL's arguments (src/rules/): each route declares its parameters as an
// input rule, and a 400 names each bad parameter, its rule and its code at once. Lists are
// comma-separated (`metrics=KILLED,INJURED`), a nested field is `claimedBetween.from`, booleans
// are `true`/`false`, IDs are global IDs.
import type { z } from 'zod';
import { InvalidInputError } from '../rules/errors.js';
import { listElementOf, shapeOf, unwrapRule } from '../rules/fields.js';
import { parseInput } from '../rules/parse.js';
import { storable, UNSTORABLE_TEXT } from '../rules/text.js';

export interface ParameterError {
  parameter: string;
  rule: string;
  code?: string;
  value?: string;
}

/**
 * The query parameters (and `extra` values, such as an ID from the path) read by `schema`: the
 * parsed value, or every problem. A parameter the schema does not name is refused.
 */
export function readParameters<S extends z.ZodType>(
  schema: S,
  params: URLSearchParams,
  extra: Record<string, string> = {},
): { ok: true; value: z.output<S> } | { ok: false; errors: ParameterError[] } {
  const shape = shapeOf(schema)!;
  const errors: ParameterError[] = [];
  const raw: Record<string, unknown> = { ...extra };
  const known = Object.entries(shape).flatMap(([name, field]) => {
    if (name in extra) return [];
    const parts = shapeOf(unwrapRule(field).inner);
    return parts ? Object.keys(parts).map((part) => `${name}.${part}`) : [name];
  });
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    if (!known.includes(name)) {
      errors.push({ parameter: name, rule: `unknown parameter; this address accepts: ${known.join(', ') || 'none'}` });
      continue;
    }
    const [field, part] = name.split('.') as [string, string | undefined];
    const rule = unwrapRule(shape[field]!).inner;
    const isList = listElementOf(rule) !== null;
    if (!isList && values.length > 1) {
      errors.push({ parameter: name, rule: 'may be given only once', value: values.join(', ') });
      continue;
    }
    if (!values.every(storable)) {
      errors.push({ parameter: name, rule: UNSTORABLE_TEXT, code: 'INVALID_TEXT' });
      continue;
    }
    if (values.some((value) => value.trim() === '')) {
      errors.push({ parameter: name, rule: 'must not be empty (leave the parameter out instead)', value: values.join(',') });
      continue;
    }
    const value = isList ? values.flatMap((v) => v.split(',')).map((item) => item.trim()) : values[0]!.trim();
    const kind = rule.meta()?.input?.kind;
    const typed =
      kind === 'boolean' && (value === 'true' || value === 'false')
        ? value === 'true'
        : kind === 'int' && /^-?\d+$/.test(String(value))
          ? Number(value)
          : value;
    if (part) raw[field] = { ...(raw[field] as object | undefined), [part]: value };
    else raw[field] = typed;
  }
  // Every problem at once: the parameters that could not be read, and the rules the others break.
  const refused = new Set(errors.map((error) => error.parameter.split('.')[0]!));
  try {
    const value = parseInput(schema, raw);
    return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    // "metrics[1]" is the second item of the comma-separated `metrics`.
    const parameterOf = (field: string) => field.replace(/\[\d+\]$/, '');
    const given = (parameter: string) => params.getAll(parameter).join(',') || extra[parameter] || undefined;
    const broken = error.issues
      .filter((issue) => !refused.has(issue.field.split(/[.[]/)[0]!))
      .map((issue) => ({ parameter: parameterOf(issue.field), rule: issue.rule, code: issue.code, value: given(parameterOf(issue.field)) }));
    return { ok: false, errors: [...errors, ...broken] };
  }
}

/** What a 400 says about one parameter. */
export const parameterMessage = (error: ParameterError): string =>
  `Invalid parameter ${error.parameter}: ${error.rule}${error.value === undefined ? '' : ` (got ${JSON.stringify(error.value)})`}`;

/** 400 with a JSON body naming each bad parameter, its rule and the value given. */
export function parameterErrorResponse(errors: ParameterError[]): Response {
  return Response.json(
    { errors: errors.map((error) => ({ ...error, message: parameterMessage(error) })) },
    { status: 400, headers: { 'cache-control': 'no-store' } },
  );
}
