// Why a write was refused, as typed results a client can branch on: every one names the field
// and the rule. A refused write changes nothing.
import { ConflictError, InvalidInputError, ISSUE_CODES, NotFoundError, type InputIssue } from '../rules/errors.js';
import { describedEnum } from './common.js';
import { builder } from './builder.js';

const WriteError = builder.interfaceRef<Error>('WriteError').implement({
  description: 'Why a write was refused. Nothing was written.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'A sentence naming the field and the rule.' }),
  }),
});

export const InputIssueCodeEnum = describedEnum(
  'InputIssueCode',
  'Which kind of rule an input broke: for programs to branch on (`rule` says it in words).',
  Object.fromEntries(Object.keys(ISSUE_CODES).map((code) => [code, code])) as { [K in keyof typeof ISSUE_CODES]: K },
  ISSUE_CODES,
);

export const InputIssueRef = builder.objectRef<InputIssue>('InputIssue').implement({
  description: 'One broken rule in the input.',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'Where in the input, as you wrote it ("figures[0].quantity.high", "claimant.organisation").' }),
    rule: t.exposeString('rule', { description: 'The rule it breaks ("must be left out for AT_LEAST: the words give no upper bound").' }),
    code: t.field({ type: InputIssueCodeEnum, description: 'The kind of rule, for programs.', resolve: (issue) => issue.code }),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInput',
  description: 'The input breaks one or more rules; all of them are listed.',
  interfaces: [WriteError],
  isTypeOf: (value) => value instanceof InvalidInputError,
  fields: (t) => ({
    issues: t.field({ type: [InputIssueRef], description: 'Every broken rule.', resolve: (error) => error.issues }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFound',
  description: 'The input refers to something that does not exist.',
  interfaces: [WriteError],
  isTypeOf: (value) => value instanceof NotFoundError,
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The input field holding the reference.' }),
    entityType: t.exposeString('entityType', { description: 'What kind of thing was expected there.' }),
    externalId: t.string({
      nullable: true,
      description: 'The external ID that names nothing of yours, when the reference was one (`{ externalId }` in an import).',
      resolve: (error) => (error.by === 'externalId' ? String(error.id) : null),
    }),
  }),
});

builder.objectType(ConflictError, {
  name: 'Conflict',
  description: 'Someone changed it first, it was retracted, or the request repeats an external ID or idempotency key with other content: nothing was written.',
  interfaces: [WriteError],
  isTypeOf: (value) => value instanceof ConflictError,
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The input field the conflict is about.' }),
    currentVersion: t.exposeInt('currentVersion', { nullable: true, description: 'The version it is at now, when that is the conflict.' }),
    differingFields: t.exposeStringList('differingFields', {
      description: 'When an external ID or idempotency key came back with other content: the fields that differ from the first request.',
    }),
    retractedAt: t.expose('retractedAt', { type: 'DateTime', nullable: true, description: 'When the record was retracted, when the conflict is that it was.' }),
    retractionReason: t.exposeString('retractionReason', { nullable: true, description: 'Why it was retracted, when the conflict is that it was.' }),
  }),
});

/** The typed failures every write can end in. */
export const WRITE_ERRORS = [InvalidInputError, NotFoundError, ConflictError];
