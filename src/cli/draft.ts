// `npm run draft -- <report.txt> [--published-at <date>] [--publisher <name>]`
// `npm run draft -- --ndjson <folder>`
// Drafts the claims of a report against the database (read only) and prints them as JSON: each
// statement's recordStatement input (global IDs) with its evidence. With --ndjson, drafts every
// .txt of a folder and prints a partner's NDJSON for `npm run import` (review it first). A
// report's date and publisher come from the flags or from a <name>.json beside it
// ({ "publishedAt": "…", "publisher": "…" }). Exit code 0, or 1 when a text was refused.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { DatabaseLockedError } from '../db/lock.js';
import { applyMigrations } from '../db/schema-engine.js';
import { draftClaims } from '../drafting/index.js';
import { InvalidInputError } from '../rules/errors.js';
import { LOCAL_OPERATOR } from '../writes/session.js';
import { loadKnown } from '../drafting/known.js';
import { draftToNdjson } from '../drafting/ndjson.js';
import { recordInput } from '../drafting/record-input.js';
import { prepareText, readText } from '../drafting/text.js';
import type { Draft } from '../drafting/types.js';

const usage =
  'Usage: npm run draft -- <report.txt> [--published-at 2026-01-31T14:27:00Z] [--publisher "The Indian Express"]\n       npm run draft -- --ndjson <folder of .txt reports>';

function parseArgs(argv: string[]) {
  let path: string | null = null;
  let ndjson = false;
  let publishedAt: string | null = null;
  let publisher: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value. ${usage}`);
      return next;
    };
    if (arg === '--ndjson') ndjson = true;
    else if (arg === '--published-at') publishedAt = value();
    else if (arg === '--publisher') publisher = value();
    else if (arg.startsWith('--')) throw new Error(`Unknown option ${arg}. ${usage}`);
    else if (path) throw new Error(`One report or folder at a time. ${usage}`);
    else path = arg;
  }
  if (!path) throw new Error(usage);
  if (publishedAt !== null && Number.isNaN(Date.parse(publishedAt)))
    throw new Error(`--published-at must be a date such as 2026-01-31 or 2026-01-31T14:27:00Z, got "${publishedAt}"`);
  return { path, ndjson, publishedAt, publisher };
}

/** A report's date and publisher: the flags, else `<name>.json` beside it. */
function metadataOf(file: string, flags: { publishedAt: string | null; publisher: string | null }) {
  const sidecar = file.replace(/\.txt$/, '.json');
  const meta = existsSync(sidecar) ? (JSON.parse(readFileSync(sidecar, 'utf8')) as { publishedAt?: string; publisher?: string }) : {};
  const publishedAt = flags.publishedAt ?? meta.publishedAt ?? null;
  return { publishedAt: publishedAt ? new Date(publishedAt) : null, publisher: flags.publisher ?? meta.publisher ?? null };
}

const globalRefs = (draft: Draft) => ({
  organisation: (id: number | null) => (id === null ? null : encodeGlobalID('Organisation', id)),
  official: (id: number | null) => (id === null ? null : encodeGlobalID('Official', id)),
  place: (id: number | null) => (id === null ? null : encodeGlobalID('Place', id)),
  incident: (i: number) => (draft.incidents[i]!.incidentId === null ? null : encodeGlobalID('Incident', draft.incidents[i]!.incidentId!)),
  source: (i: number) => (draft.sources[i]!.sourceId === null ? null : encodeGlobalID('Source', draft.sources[i]!.sourceId!)),
});

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  let db;
  try {
    db = await openDatabase(config.database);
  } catch (error) {
    if (error instanceof DatabaseLockedError)
      throw new Error(`The embedded database is held by a running gateway: ask it instead (the draftClaims query), or stop it first`);
    throw error;
  }
  let refused = 0;
  try {
    await applyMigrations(db.adapterFactory);
    const files = args.ndjson
      ? readdirSync(args.path)
          .filter((f) => f.endsWith('.txt'))
          .sort()
          .map((f) => join(args.path, f))
      : [args.path];
    if (args.ndjson && !statSync(args.path).isDirectory()) throw new Error(`--ndjson takes a folder of .txt reports, got ${args.path}`);
    const emitted = new Set<string>();
    for (const file of files) {
      const meta = metadataOf(file, args);
      const text = readFileSync(file, 'utf8');
      try {
        const prepared = prepareText(text);
        const known = await loadKnown(
          db.prisma,
          { publishedAt: meta.publishedAt, title: prepared.english ? (readText(prepared.text).title?.text ?? null) : null },
          [LOCAL_OPERATOR.owner],
        );
        const draft = draftClaims({ text, ...meta }, known);
        for (const note of draft.notes) console.error(`${basename(file)}: ${note}`);
        if (args.ndjson) {
          const { lines, warnings } = draftToNdjson(draft, known, emitted);
          for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
          for (const warning of warnings) console.error(`${basename(file)}: ${warning}`);
          console.error(`${basename(file)}: ${draft.statements.length} statements, ${draft.statements.reduce((n, s) => n + s.figures.length, 0)} figures`);
        } else {
          const refs = globalRefs(draft);
          console.log(
            JSON.stringify(
              {
                ...draft,
                statements: draft.statements.map((statement, n) => ({
                  input: recordInput(draft, statement, n, refs),
                  readyToRecord: statement.needs.length === 0,
                  ...statement,
                })),
              },
              null,
              2,
            ),
          );
        }
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        refused += 1;
        console.error(`${basename(file)}: refused: ${error.message}`);
      }
    }
  } finally {
    await db.close();
  }
  process.exitCode = refused > 0 ? 1 : 0;
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
