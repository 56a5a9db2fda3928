// Importing a whole file: read it as a stream, cut it into batches, hand each batch to a sink
// (the database directly, or a running gateway over GraphQL) with the file's checkpoint, and
// add up the outcomes. A re-run of the same file (same SHA-256) starts after the last committed
// batch; idempotency by external ID makes a repeated batch harmless anyway.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Actor } from '../writes/session.js';
import { importBatch, loadCheckpoint, totalsOf, zeroTotals, type Checkpoint, type CheckpointUpdate, type Totals } from './batch.js';
import { csvRecords, fileSha256, ndjsonRecords, parseCsvRecord, readLines, type ReadRecord, type SourceRecord } from './read.js';
import type { BadLine, ImportFormat, RecordOutcome } from './types.js';

export interface ImportSink {
  /** The checkpoint stored for a file, or null. */
  checkpoint(fileSha256: string): Promise<Checkpoint | null>;
  /** Writes one batch (and the checkpoint with it); returns one outcome per record. */
  send(
    format: ImportFormat,
    header: string[] | null,
    headerText: string | null,
    records: SourceRecord[],
    checkpoint: CheckpointUpdate,
  ): Promise<RecordOutcome[]>;
}

/** Writes straight into a database this process has open. */
export function databaseSink(prisma: PrismaClient, actor: Actor): ImportSink {
  return {
    checkpoint: (sha) => loadCheckpoint(prisma, actor, sha),
    async send(format, header, _headerText, records, checkpoint) {
      return (await importBatch(prisma, actor, format, records, { header, checkpoint })).outcomes;
    },
  };
}

export interface ImportProgress extends Totals {
  /** The last line read so far, and bytes of the file read so far, of `totalBytes`. */
  line: number;
  bytes: number;
  totalBytes: number;
  /** Records handled by this run (not counting what an earlier run committed). */
  recordsThisRun: number;
  elapsedSeconds: number;
}

export interface ImportSummary extends Totals {
  file: string;
  fileSha256: string;
  format: ImportFormat;
  /** Every bad line (of an earlier, interrupted run: the first 1,000 it kept). */
  badLines: BadLine[];
  /** The line a re-run started after (null: from the beginning). */
  resumedAfterLine: number | null;
  /** True when the file had already been imported completely and nothing was read. */
  alreadyImported: boolean;
  recordsThisRun: number;
  elapsedSeconds: number;
}

export interface ImportOptions {
  format: ImportFormat;
  batchSize: number;
  /** Ignore a stored checkpoint and check every line again. */
  restart?: boolean;
  onProgress?: (progress: ImportProgress) => void;
}

/** The format a file name suggests: `.csv` is ACLED, anything else NDJSON. */
export const formatOf = (path: string): ImportFormat => (/\.csv$/i.test(path) ? 'acled' : 'ndjson');

export async function importFile(sink: ImportSink, path: string, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const { format, batchSize } = options;
  const sha = await fileSha256(path);
  const totalBytes = (await stat(path)).size;
  const stored = options.restart ? null : await sink.checkpoint(sha);
  const elapsed = () => (performance.now() - started) / 1000;
  const summary = (totals: Totals, badLines: BadLine[], recordsThisRun: number, alreadyImported: boolean): ImportSummary => ({
    file: path,
    fileSha256: sha,
    format,
    ...totals,
    badLines,
    resumedAfterLine: stored && stored.lastLine > 0 ? stored.lastLine : null,
    alreadyImported,
    recordsThisRun,
    elapsedSeconds: elapsed(),
  });
  if (stored?.finishedAt) {
    const { records, created, changed, alreadyPresent, bad } = stored;
    return summary({ records, created, changed, alreadyPresent, bad }, stored.badLines, 0, true);
  }
  const resuming = stored !== null && stored.lastLine > 0;
  let totals: Totals = resuming
    ? { records: stored.records, created: stored.created, changed: stored.changed, alreadyPresent: stored.alreadyPresent, bad: stored.bad }
    : zeroTotals();
  const badLines: BadLine[] = resuming ? [...stored.badLines] : [];

  // ACLED: the header row comes first, also when a re-run seeks past it.
  let header: string[] | null = null;
  let headerText: string | null = null;
  let position = { line: 0, end: 0 };
  const readFrom = (start: number, firstLine: number) => {
    const lines = readLines(path, start, firstLine);
    return format === 'acled' ? csvRecords(lines) : ndjsonRecords(lines);
  };
  let records: AsyncGenerator<ReadRecord>;
  if (format === 'acled') {
    const head = readFrom(0, 1);
    const first = await head.next();
    if (first.done) throw new Error(`${path} is empty: an ACLED file starts with its header row`);
    headerText = first.value.text;
    header = parseCsvRecord(headerText).map((column) => column.trim());
    position = { line: first.value.lastLine, end: first.value.end };
    if (resuming) {
      await head.return(undefined);
      records = readFrom(stored.nextByte, stored.lastLine + 1);
    } else records = head;
  } else records = resuming ? readFrom(stored.nextByte, stored.lastLine + 1) : readFrom(0, 1);
  if (resuming) position = { line: stored.lastLine, end: stored.nextByte };

  let recordsThisRun = 0;
  let sentOne = false;
  const send = async (batch: ReadRecord[], finished: boolean) => {
    const last = batch.at(-1);
    if (last) position = { line: last.lastLine, end: last.end };
    const checkpoint: CheckpointUpdate = {
      fileSha256: sha,
      fileName: basename(path),
      format,
      lastLine: position.line,
      nextByte: position.end,
      finished,
      fresh: !resuming && recordsThisRun === 0 && !sentOne,
    };
    sentOne = true;
    const outcomes = await sink.send(
      format,
      header,
      headerText,
      batch.map(({ line, text }) => ({ line, text })),
      checkpoint,
    );
    totals = totalsOf(outcomes, totals);
    recordsThisRun += outcomes.length;
    for (const outcome of outcomes) if (outcome.status === 'BAD') badLines.push({ line: outcome.line, reason: outcome.reason ?? '' });
    options.onProgress?.({ ...totals, line: position.line, bytes: position.end, totalBytes, recordsThisRun, elapsedSeconds: elapsed() });
  };

  let batch: ReadRecord[] = [];
  for await (const record of records) {
    batch.push(record);
    if (batch.length >= batchSize) {
      await send(batch, false);
      batch = [];
    }
  }
  await send(batch, true);
  return summary(totals, badLines, recordsThisRun, false);
}
