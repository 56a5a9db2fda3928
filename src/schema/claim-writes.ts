// Writing claims: record a statement with everything it claims in one transaction, revise a
// figure, retract a statement or a figure. The rules and inputs live in src/writes/; this file
// offers them as mutations.
import { recordStatementInput, reviseFigureInput } from '../writes/claim-inputs.js';
import { retractFigure, retractStatement, reviseFigure } from '../writes/revisions.js';
import { recordStatement, type RecordResult } from '../writes/statements.js';
import { builder } from './builder.js';
import { inputTypeOf } from './inputs.js';
import { WRITE_ERRORS } from './write-errors.js';
import { IDEMPOTENCY_KEY, runWrite } from './writes.js';

const RecordPayload = builder.objectRef<RecordResult>('RecordPayload').implement({
  description: 'What a write recorded (or had already recorded, for a repeated request).',
  fields: (t) => ({
    statement: t.prismaField({
      type: 'Statement',
      description: 'The statement written or retracted.',
      resolve: (query, result, _args, ctx) => ctx.prisma.statement.findUniqueOrThrow({ ...query, where: { id: result.statementId } }),
    }),
    figures: t.prismaField({
      type: ['Figure'],
      description: 'The figures written, revised or retracted (a retracted statement: every figure retracted with it).',
      resolve: (query, result, _args, ctx) => ctx.prisma.figure.findMany({ ...query, where: { id: { in: result.figureIds } }, orderBy: { id: 'asc' } }),
    }),
    replayed: t.exposeBoolean('replayed', { description: 'True when this repeats an earlier request and nothing new was written.' }),
  }),
});

builder.mutationType({
  description: 'Writes. Each needs an API key with the WRITE scope (`Authorization: Bearer <key>`) and is recorded in the audit trail.',
  authScopes: { write: true },
});

builder.mutationFields((t) => ({
  recordStatement: t.field({
    type: RecordPayload,
    description: 'Records a statement with its claimant, source chain, incidents and figures in one transaction: all of it, or nothing.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      input: t.arg({ type: inputTypeOf(recordStatementInput), required: true, description: 'The statement and what it claims.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, { input, idempotencyKey }, ctx) => runWrite(ctx, 'recordStatement', input, idempotencyKey, (session) => recordStatement(session, input)),
  }),
  reviseFigure: t.field({
    type: RecordPayload,
    description:
      'Revises a figure: a new figure superseding the old one, claimed by the same claimant. The old figure stays in history and `asOf` answers. A retracted figure, or a figure of a retracted statement, cannot be revised (Conflict).',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      input: t.arg({ type: inputTypeOf(reviseFigureInput), required: true, description: 'The figure, the version you read, and the new quantity.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, { input, idempotencyKey }, ctx) => runWrite(ctx, 'reviseFigure', input, idempotencyKey, (session) => reviseFigure(session, input)),
  }),
  retractStatement: t.field({
    type: RecordPayload,
    description:
      'Retracts a statement, and with it every figure it claims, with a reason. They leave current views but stay in history and `asOf` answers. Sent again with the same reason, nothing changes (`replayed: true`).',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      statement: t.arg.id({ required: true, description: 'The statement to retract.' }),
      reason: t.arg.string({ required: true, description: 'Why it is retracted (at most 2,000 characters).' }),
      expectedVersion: t.arg.int({ required: false, description: 'The `version` you read; refused with a Conflict if it changed.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, { idempotencyKey, ...input }, ctx) =>
      runWrite(ctx, 'retractStatement', input, idempotencyKey, (session) => retractStatement(session, input)),
  }),
  retractFigure: t.field({
    type: RecordPayload,
    description:
      'Retracts one figure, with a reason. It leaves current views but stays in history and `asOf` answers. Sent again with the same reason, nothing changes (`replayed: true`).',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      figure: t.arg.id({ required: true, description: 'The figure to retract.' }),
      reason: t.arg.string({ required: true, description: 'Why it is retracted (at most 2,000 characters).' }),
      expectedVersion: t.arg.int({ required: false, description: 'The `version` you read; refused with a Conflict if it changed.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY }),
    },
    resolve: (_root, { idempotencyKey, ...input }, ctx) => runWrite(ctx, 'retractFigure', input, idempotencyKey, (session) => retractFigure(session, input)),
  }),
}));
