// `npm run import -- <file> [--format ndjson|acled] [--batch 200] [--restart]`
// Imports an NDJSON or ACLED CSV file in transactional batches, reporting every bad line. Opens
// the database directly, or — while a gateway holds the embedded database — sends the batches
// to that gateway. Re-running the same file (after a crash, or to be sure) creates nothing twice
// and skips ahead to the last committed batch. Exit code: 0 all good, 2 some lines bad, 1 failure.
import { loadConfig } from '../config.js';
import type { Checkpoint, CheckpointUpdate } from '../import/batch.js';
import { databaseSink, formatOf, importFile, type ImportProgress, type ImportSink } from '../import/importer.js';
import { LOCAL_OPERATOR } from '../writes/session.js';
import type { ImportFormat, RecordOutcome } from '../import/types.js';
import { localGraphQL, openDatabaseOrGateway, type LocalGatewayFile } from './local-gateway.js';

const usage = 'Usage: npm run import -- <file> [--format ndjson|acled] [--batch 200] [--restart]';

function parseArgs(argv: string[]) {
  let file: string | null = null;
  let format: ImportFormat | null = null;
  let batch = 200;
  let restart = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value. ${usage}`);
      return next;
    };
    if (arg === '--format') {
      const f = value();
      if (f !== 'ndjson' && f !== 'acled') throw new Error(`--format must be ndjson or acled, got "${f}"`);
      format = f;
    } else if (arg === '--batch') {
      batch = Number(value());
      if (!Number.isInteger(batch) || batch < 1 || batch > 500) throw new Error('--batch must be a whole number from 1 to 500');
    } else if (arg === '--restart') restart = true;
    else if (arg.startsWith('--')) throw new Error(`Unknown option ${arg}. ${usage}`);
    else if (file) throw new Error(`One file at a time. ${usage}`);
    else file = arg;
  }
  if (!file) throw new Error(usage);
  return { file, format: format ?? formatOf(file), batch, restart };
}

const OUTCOME = 'line status entityType externalId reason issues { field rule }';

/** Sends batches to the running gateway as `importRecords`, as the local admin. */
function gatewaySink(gateway: LocalGatewayFile): ImportSink {
  return {
    async checkpoint(fileSha256) {
      const data = await localGraphQL<{
        importRun:
          | (Omit<Checkpoint, 'startedAt' | 'finishedAt' | 'badLines'> & { startedAt: string; finishedAt: string | null; badLines: RecordOutcome[] })
          | null;
      }>(
        gateway,
        `query ($sha: String!) { importRun(fileSha256: $sha) { fileSha256 fileName format lastLine nextByte records created changed alreadyPresent bad badLines { line reason } startedAt finishedAt } }`,
        { sha: fileSha256 },
      );
      const run = data.importRun;
      if (!run) return null;
      return {
        ...run,
        startedAt: new Date(run.startedAt),
        finishedAt: run.finishedAt ? new Date(run.finishedAt) : null,
        badLines: run.badLines.map((b) => ({ line: b.line, reason: b.reason ?? '' })),
      };
    },
    async send(format, _header, headerText, records, checkpoint: CheckpointUpdate) {
      const texts = [...(headerText !== null ? [headerText] : []), ...records.map((r) => r.text)];
      const lineNumbers = [...(headerText !== null ? [1] : []), ...records.map((r) => r.line)];
      const { format: _f, ...position } = checkpoint;
      const data = await localGraphQL<{ importRecords: { __typename: string; message?: string; results?: RecordOutcome[] } }>(
        gateway,
        `mutation ($records: [String!]!, $format: ImportFormat!, $lineNumbers: [Int!], $checkpoint: ImportCheckpointInput) {
          importRecords(records: $records, format: $format, lineNumbers: $lineNumbers, checkpoint: $checkpoint) {
            __typename
            ... on ImportResult { results { ${OUTCOME} } }
            ... on WriteError { message }
          }
        }`,
        {
          records: texts,
          format: format === 'acled' ? 'ACLED' : 'NDJSON',
          lineNumbers,
          checkpoint: position,
        },
      );
      if (!data.importRecords.results) throw new Error(`The gateway refused the batch: ${data.importRecords.message}`);
      return data.importRecords.results;
    },
  };
}

const number = (n: number) => n.toLocaleString('en-GB');

/** A progress bar on a terminal; a plain line every few seconds otherwise (logs, pipes). */
function progressReporter(tty: boolean) {
  let lastPlain = 0;
  return {
    update(p: ImportProgress) {
      const share = p.totalBytes > 0 ? p.bytes / p.totalBytes : 1;
      const rate = p.elapsedSeconds > 0 ? p.recordsThisRun / p.elapsedSeconds : 0;
      const text = `${(share * 100).toFixed(0).padStart(3)}% line ${number(p.line)}, ${number(p.records)} records (${number(p.created)} new, ${number(p.changed)} changed, ${number(p.alreadyPresent)} present, ${number(p.bad)} bad), ${number(Math.round(rate))} records/s`;
      if (tty) {
        const width = 24;
        const filled = Math.round(share * width);
        process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}\u001b[K`);
      } else if (p.elapsedSeconds - lastPlain >= 2 || share >= 1) {
        lastPlain = p.elapsedSeconds;
        console.log(`progress: ${text.trim()}`);
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  const route = await openDatabaseOrGateway(config);
  const where =
    config.database.kind === 'pglite' ? config.database.dataDir : config.database.kind === 'memory' ? 'an in-memory database' : 'the PostgreSQL database';
  let sink: ImportSink;
  if (route.kind === 'gateway') {
    console.log(`Importing ${args.file} (${args.format}, batches of ${args.batch}) through the running gateway at ${route.gateway.url}`);
    sink = gatewaySink(route.gateway);
  } else {
    console.log(`Importing ${args.file} (${args.format}, batches of ${args.batch}): opened ${where} directly`);
    sink = databaseSink(route.db.prisma, LOCAL_OPERATOR);
  }
  const progress = progressReporter(process.stderr.isTTY === true);
  try {
    const summary = await importFile(sink, args.file, {
      format: args.format,
      batchSize: args.batch,
      restart: args.restart,
      onProgress: (p) => progress.update(p),
    });
    progress.done();
    if (summary.alreadyImported) {
      // What an earlier run wrote is said as such: this run wrote nothing.
      console.log(
        `Nothing imported now: this file (sha256 ${summary.fileSha256.slice(0, 12)}…) was imported completely by an earlier run ` +
          `(that run: ${number(summary.records)} records — created ${number(summary.created)}, changed ${number(summary.changed)}, already present ${number(summary.alreadyPresent)}, bad ${number(summary.bad)}). ` +
          'Use --restart to check every line again.',
      );
      return summary.bad > 0 ? 2 : 0;
    }
    if (summary.resumedAfterLine !== null) {
      console.log(`Resumed after line ${number(summary.resumedAfterLine)} (committed by an earlier run).`);
    }
    const rate = summary.elapsedSeconds > 0 ? summary.recordsThisRun / summary.elapsedSeconds : 0;
    console.log(
      `Records: ${number(summary.records)} — created ${number(summary.created)}, changed ${number(summary.changed)}, already present ${number(summary.alreadyPresent)}, bad ${number(summary.bad)}` +
        (summary.recordsThisRun > 0
          ? ` (${number(summary.recordsThisRun)} this run in ${summary.elapsedSeconds.toFixed(1)} s, ${number(Math.round(rate))} records/s)`
          : ''),
    );
    if (summary.bad > 0) {
      console.log('Bad lines (not imported):');
      for (const { line, reason } of summary.badLines) console.log(`  line ${line}: ${reason}`);
      if (summary.badLines.length < summary.bad) console.log(`  … and ${number(summary.bad - summary.badLines.length)} more`);
    }
    return summary.bad > 0 ? 2 : 0;
  } finally {
    if (route.kind === 'database') await route.db.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`Import failed: ${error.message}`);
    process.exitCode = 1;
  },
);
