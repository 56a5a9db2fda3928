// IDs and references. Clients name records by the global IDs the API hands out (the `id` field:
// base64 of "Type:id", as Relay expects), or by their own external IDs ({ "externalId": "…" },
// which belong to the API key that first sent them). One reader for both, for every field that
// points at a record: GraphQL inputs and filters, NDJSON lines, export parameters, the seed.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { storable, UNSTORABLE_TEXT } from './text.js';

/** Database ids are PostgreSQL `integer`s. */
export const MAX_ID = 2_147_483_647;

export const ENTITY_TYPES = ['Place', 'Organisation', 'Official', 'Source', 'Incident', 'Statement', 'Figure'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** A record a field points at: by database id (from a global ID) or by the caller's external ID. */
export class Reference {
  private constructor(
    readonly entityType: EntityType,
    readonly id: number | null,
    readonly externalId: string | null,
  ) {}

  static byId(entityType: EntityType, id: number): Reference {
    return new Reference(entityType, id, null);
  }

  static byExternalId(entityType: EntityType, externalId: string): Reference {
    return new Reference(entityType, null, externalId);
  }
}

export const globalIdOf = (entityType: string, id: number): string => encodeGlobalID(entityType, id);

export type DecodedId = { ok: true; typename: string; id: number } | { ok: false; rule: string };

/** Canonical standard base64, as `encodeGlobalID` writes it. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATABASE_ID = /^[1-9]\d{0,9}$/;
const AS_RETURNED = 'use an "id" value exactly as this API returned it';

/**
 * The type and database id inside a global ID, if it is one this API could have issued:
 * canonical base64 of `<Type>:<id>` (nothing decoded loosely: "Place:1.5" is not Place 1),
 * with a database id from 1 to 2147483647. The one reader of global IDs, for GraphQL arguments
 * and inputs, imports and HTTP parameters.
 */
export function decodeId(globalId: string): DecodedId {
  if (globalId.length > 200 || globalId === '' || !BASE64.test(globalId)) return { ok: false, rule: `not a global ID; ${AS_RETURNED}` };
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const typename = decoded.slice(0, colon);
  const id = decoded.slice(colon + 1);
  if (colon < 1 || encodeGlobalID(typename, id) !== globalId || !/^[A-Z_a-z]\w*$/.test(typename)) return { ok: false, rule: `not a global ID; ${AS_RETURNED}` };
  if (!DATABASE_ID.test(id) || Number(id) > MAX_ID) return { ok: false, rule: `no ${typename} can have the id ${JSON.stringify(id)}; ${AS_RETURNED}` };
  return { ok: true, typename, id: Number(id) };
}

const article = (word: string) => (/^[AEIOU]/.test(word) ? `an ${word}` : `a ${word}`);
const oneOf = (types: readonly string[]) => types.map(article).join(' or ');

/**
 * A field that points at a record of one of `types`: a global ID (text), an external ID of the
 * caller's (`{ externalId }`, when the field has one type), or a Reference built in code.
 */
export function reference(types: readonly EntityType[]) {
  const expected = `the ID of ${oneOf(types)} (its "id" field), or { "externalId": "…" } for one you created with your own ID`;
  return z.unknown().transform((value, ctx): Reference => {
    if (value instanceof Reference && types.includes(value.entityType)) return value;
    if (typeof value === 'string') {
      const decoded = decodeId(value);
      if (!decoded.ok) {
        ctx.addIssue({ code: 'custom', message: `must be ${expected}; "${value.slice(0, 80)}" is not one (${decoded.rule})`, params: { code: 'NOT_AN_ID' } });
        return z.NEVER;
      }
      if (!types.includes(decoded.typename as EntityType)) {
        ctx.addIssue({
          code: 'custom',
          message: `must be the ID of ${oneOf(types)}; this is the ID of ${article(decoded.typename)}`,
          params: { code: 'WRONG_ID_TYPE' },
        });
        return z.NEVER;
      }
      return Reference.byId(decoded.typename as EntityType, decoded.id);
    }
    if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      'externalId' in value &&
      Object.keys(value).length === 1 &&
      types.length === 1
    ) {
      const externalId = (value as { externalId: unknown }).externalId;
      const parsed = externalIdRule.safeParse(externalId);
      if (parsed.success) return Reference.byExternalId(types[0]!, parsed.data);
      ctx.addIssue({ code: 'custom', message: `externalId ${parsed.error.issues[0]?.message ?? 'is not valid'}`, params: { code: 'INVALID_TEXT' } });
      return z.NEVER;
    }
    ctx.addIssue({
      code: 'custom',
      message: value === null || value === undefined ? 'is required' : `must be ${expected}`,
      params: { code: value === null || value === undefined ? 'REQUIRED' : 'NOT_AN_ID' },
    });
    return z.NEVER;
  });
}

/** A client's own ID for a record: text, at most 200 characters. */
export const MAX_EXTERNAL_ID_LENGTH = 200;
export const externalIdRule = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_EXTERNAL_ID_LENGTH, `must be at most ${MAX_EXTERNAL_ID_LENGTH} characters`)
  .refine(storable, { message: UNSTORABLE_TEXT, params: { code: 'INVALID_TEXT' } });
