// Which fields of two versions of one request differ: what a Conflict names when an external
// ID or an idempotency key comes back with other content.
import { fieldPath } from './parse.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The paths ("figures[0].quantity.low") at which `a` and `b` hold different JSON values. */
export function differingFields(a: unknown, b: unknown, path: (string | number)[] = []): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [fieldPath(path)];
    return a.flatMap((item, n) => differingFields(item, b[n], [...path, n]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    // A field left out and a field given as null say the same: nothing.
    return keys.flatMap((key) => (a[key] == null && b[key] == null ? [] : differingFields(a[key], b[key], [...path, key])));
  }
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null) ? [] : [fieldPath(path) || '(the whole request)'];
}
