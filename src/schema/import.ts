// Bulk import over GraphQL: a batch of NDJSON lines or ACLED CSV rows, each validated and
// reported on by line. The local `npm run import` sends its batches here while a gateway holds
// the embedded database; partners with a WRITE key may send small batches. Rules in src/import/.
import { InvalidInputError } from '../rules/errors.js';
import { importBatch, loadCheckpoint, type CheckpointUpdate } from '../import/batch.js';
import type { Checkpoint } from '../import/batch.js';
import type { ImportFormat, RecordOutcome } from '../import/types.js';
import { parseCsvRecord } from '../import/read.js';
import { builder } from './builder.js';
import { describedEnum } from './common.js';
import { InputIssueRef, WRITE_ERRORS } from './write-errors.js';
import { actorOf } from './writes.js';

/** The most records one call may carry (the header row of a CSV batch not counted). */
export const MAX_IMPORT_RECORDS = 500;

const ImportFormatEnum = describedEnum('ImportFormat', 'The format of imported records.', { NDJSON: 'NDJSON', ACLED: 'ACLED' } as const, {
  NDJSON: 'One JSON object per record: a statement with its figures, or a place, organisation, official, source or incident (see the README, "Bulk import").',
  ACLED: "ACLED's CSV export: the first record is the header row, every other one an event.",
});

const ImportRecordStatusEnum = describedEnum(
  'ImportRecordStatus',
  'What happened to one imported record.',
  { CREATED: 'CREATED', CHANGED: 'CHANGED', ALREADY_PRESENT: 'ALREADY_PRESENT', BAD: 'BAD' } as const,
  {
    CREATED: 'It was new and has been recorded.',
    CHANGED: 'An update or a retraction: it changed what was recorded.',
    ALREADY_PRESENT:
      'It was already recorded (the same external ID and content, or an update or retraction already made): nothing was written, so importing again never duplicates.',
    BAD: 'It breaks a rule and was not recorded; `reason` says which. The other records were not affected.',
  },
);

const ImportRecordResult = builder.objectRef<RecordOutcome>('ImportRecordResult').implement({
  description: 'The outcome for one record, by its line in the file.',
  fields: (t) => ({
    line: t.exposeInt('line', { description: 'The line of the file the record starts on.' }),
    status: t.field({ type: ImportRecordStatusEnum, description: 'Created, already present, or bad.', resolve: (r) => r.status }),
    entityType: t.string({
      nullable: true,
      description: 'What the record is (Statement, Place, Incident…); null when it could not be read.',
      resolve: (r) => r.entityType,
    }),
    externalId: t.string({ nullable: true, description: "The record's external ID; null when it could not be read.", resolve: (r) => r.externalId }),
    reason: t.string({ nullable: true, description: 'Why a bad record was refused (field and rule); null for good records.', resolve: (r) => r.reason }),
    issues: t.field({
      type: [InputIssueRef],
      description: 'Every broken rule of a bad record, one by one (empty for good records).',
      resolve: (r) => r.issues,
    }),
  }),
});

interface ImportResultShape {
  outcomes: RecordOutcome[];
}

const ImportResult = builder.objectRef<ImportResultShape>('ImportResult').implement({
  description: 'What an import batch did. Good records were committed together; bad ones are listed with their reasons.',
  fields: (t) => ({
    records: t.int({ description: 'Records in the batch (a CSV header row not counted).', resolve: (r) => r.outcomes.length }),
    created: t.int({ description: 'Records newly recorded.', resolve: (r) => r.outcomes.filter((o) => o.status === 'CREATED').length }),
    changed: t.int({ description: 'Updates and retractions that changed something.', resolve: (r) => r.outcomes.filter((o) => o.status === 'CHANGED').length }),
    alreadyPresent: t.int({
      description: 'Records that were already there (same external ID): nothing written.',
      resolve: (r) => r.outcomes.filter((o) => o.status === 'ALREADY_PRESENT').length,
    }),
    bad: t.int({ description: 'Records refused.', resolve: (r) => r.outcomes.filter((o) => o.status === 'BAD').length }),
    results: t.field({ type: [ImportRecordResult], description: 'One result per record, in line order.', resolve: (r) => r.outcomes }),
  }),
});

const ImportCheckpointInput = builder.inputType('ImportCheckpointInput', {
  description: 'For resumable file imports (the command line uses it): where the file stands once this batch commits, saved in the same transaction.',
  fields: (t) => ({
    fileSha256: t.string({ required: true, description: 'SHA-256 of the whole file, hex: identifies the file.' }),
    fileName: t.string({ required: true, description: "The file's name, for people reading the import log." }),
    lastLine: t.int({ required: true, description: 'The last line of the file this batch covers.' }),
    nextByte: t.float({ required: true, description: 'The byte offset just after that line (a whole number).' }),
    finished: t.boolean({ required: true, description: "True for the file's last batch." }),
    fresh: t.boolean({
      required: true,
      description:
        "True for the first batch of an import from the file's start (an earlier run's checkpoint is replaced); false to go on after your stored checkpoint, which must lie before `lastLine`.",
    }),
  }),
});

const ImportRun = builder.objectRef<Checkpoint>('ImportRun').implement({
  description: 'How far the import of one file has got: a re-run of the same file goes on from `lastLine`.',
  fields: (t) => ({
    fileSha256: t.exposeString('fileSha256', { description: 'SHA-256 of the file, hex.' }),
    fileName: t.exposeString('fileName', { description: "The file's name when it was imported." }),
    format: t.field({ type: ImportFormatEnum, description: "The file's format.", resolve: (r) => (r.format === 'acled' ? 'ACLED' : 'NDJSON') }),
    lastLine: t.exposeInt('lastLine', { description: 'The last line whose batch has committed (0: none yet).' }),
    nextByte: t.exposeFloat('nextByte', { description: 'The byte offset just after `lastLine`.' }),
    records: t.exposeInt('records', { description: 'Records handled so far.' }),
    created: t.exposeInt('created', { description: 'Of those, created.' }),
    changed: t.exposeInt('changed', { description: 'Of those, updates and retractions that changed something.' }),
    alreadyPresent: t.exposeInt('alreadyPresent', { description: 'Of those, already present.' }),
    bad: t.exposeInt('bad', { description: 'Of those, bad.' }),
    badLines: t.field({
      type: [ImportRecordResult],
      description: 'The bad lines so far, with their reasons (the first 1,000).',
      resolve: (r) => r.badLines.map((b) => ({ line: b.line, reason: b.reason, status: 'BAD' as const, entityType: null, externalId: null, issues: [] })),
    }),
    startedAt: t.expose('startedAt', { type: 'DateTime', description: 'When the import of this file started.' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: 'When its last batch committed; null while unfinished.' }),
  }),
});

builder.queryFields((t) => ({
  importRun: t.field({
    type: ImportRun,
    nullable: true,
    description:
      "How far your import of a file has got, by the file's SHA-256; null when you never imported it (WRITE scope). Checkpoints are per API key owner: nobody else can see or move yours.",
    authScopes: { write: true },
    args: { fileSha256: t.arg.string({ required: true, description: 'SHA-256 of the file, hex.' }) },
    resolve: (_root, args, ctx) => loadCheckpoint(ctx.prisma, actorOf(ctx), args.fileSha256),
  }),
}));

builder.mutationFields((t) => ({
  importRecords: t.field({
    type: ImportResult,
    description:
      `Imports up to ${MAX_IMPORT_RECORDS} records: NDJSON lines, or ACLED CSV rows with the header row first. Every record is validated; ` +
      'bad ones are reported by line and skipped, good ones are committed together. Records carry external IDs, so sending them again creates nothing new.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      records: t.arg.stringList({
        required: true,
        description: 'The records as text: one NDJSON line each, or CSV rows (the first being the header row for ACLED).',
      }),
      format: t.arg({ type: ImportFormatEnum, required: true, description: 'How to read the records.' }),
      lineNumbers: t.arg.intList({
        required: false,
        description: 'The line of the file each record starts on, one per record (default 1, 2, 3, …), so that results name the right lines.',
      }),
      checkpoint: t.arg({
        type: ImportCheckpointInput,
        required: false,
        description: 'For resumable file imports: saved with the batch, in the same transaction.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const format: ImportFormat = args.format === 'ACLED' ? 'acled' : 'ndjson';
      const lines = args.lineNumbers ?? args.records.map((_record, n) => n + 1);
      if (lines.length !== args.records.length)
        throw new InvalidInputError([{ field: 'lineNumbers', rule: `must hold one line number per record (${args.records.length})`, code: 'INCONSISTENT' }]);
      let records = args.records.map((text, n) => ({ line: lines[n]!, text }));
      let header: string[] | null = null;
      if (format === 'acled') {
        const [first, ...rest] = records;
        if (!first) throw new InvalidInputError([{ field: 'records', rule: 'an ACLED batch starts with the header row', code: 'REQUIRED' }]);
        try {
          header = parseCsvRecord(first.text).map((column) => column.trim());
        } catch (error) {
          throw new InvalidInputError([{ field: 'records[0]', rule: `the header row is not valid CSV: ${(error as Error).message}`, code: 'INVALID_TYPE' }]);
        }
        records = rest;
      }
      if (records.length > MAX_IMPORT_RECORDS) {
        throw new InvalidInputError([
          { field: 'records', rule: `at most ${MAX_IMPORT_RECORDS} records per call (got ${records.length}): send more calls`, code: 'TOO_LONG' },
        ]);
      }
      const c = args.checkpoint;
      const checkpoint: CheckpointUpdate | null = c
        ? { fileSha256: c.fileSha256, fileName: c.fileName, format, lastLine: c.lastLine, nextByte: c.nextByte, finished: c.finished, fresh: c.fresh }
        : null;
      const result = await importBatch(ctx.prisma, actorOf(ctx), format, records, { header, checkpoint });
      for (const event of result.events) ctx.events.publish(event);
      return { outcomes: result.outcomes };
    },
  }),
}));
