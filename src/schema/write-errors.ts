// Why a write was refused, as typed results a client can branch on: every one names the field
// and the rule. A refused write changes nothing.
import { ConflictError, InvalidInputError, NotFoundError, type InputIssue } from '../writes/errors.js';
import { builder } from './builder.js';

const WriteError = builder.interfaceRef<Error>('WriteError').implement({
  description: 'Why a write was refused. Nothing was written.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'A sentence naming the field and the rule.' }),
  }),
});

const InputIssueRef = builder.objectRef<InputIssue>('InputIssue').implement({
  description: 'One broken rule in the input.',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'Where in the input ("figures[0].quantity.high").' }),
    rule: t.exposeString('rule', { description: 'The rule it breaks ("must be left out for AT_LEAST: the words give no upper bound").' }),
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
  }),
});

builder.objectType(ConflictError, {
  name: 'Conflict',
  description: 'Someone changed it first (or the request repeats an idempotency key with other input): re-read and try again.',
  interfaces: [WriteError],
  isTypeOf: (value) => value instanceof ConflictError,
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The input field the conflict is about.' }),
    currentVersion: t.exposeInt('currentVersion', { nullable: true, description: 'The version it is at now, when that is the conflict.' }),
  }),
});

/** The typed failures every write can end in. */
export const WRITE_ERRORS = [InvalidInputError, NotFoundError, ConflictError];
