// `npm run eval:draft [-- <folder>] [--verbose]`
// Drafts every annotated text of a folder (default test/fixtures/drafting: <name>.txt with its
// gold <name>.json) against a fresh in-memory database holding the seed data, and prints
// precision and recall per part and overall. `--verbose` lists every miss.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../db/database.js';
import { applyMigrations } from '../db/schema-engine.js';
import { draftFromDatabase } from '../drafting/index.js';
import { addScores, emptyScores, goldFromSeed, precision, recall, scoreDraft, scoreTable, type Gold } from '../drafting/evaluate.js';
import { seedDatabase } from '../seed/seed.js';
import { LOCAL_OPERATOR } from '../writes/session.js';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const folder = resolve(args.find((a) => !a.startsWith('--')) ?? 'test/fixtures/drafting');

/** A gold file: hand annotations, or a pointer to the seed data's own coding of the seed article. */
export function readGold(file: string): Gold {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Gold & { seedGold?: string };
  if (!raw.seedGold) return raw;
  const seed = JSON.parse(readFileSync(resolve(raw.seedGold), 'utf8'));
  return goldFromSeed(seed, { publishedAt: raw.publishedAt!, publisher: raw.publisher!, style: raw.style });
}

async function main() {
  const db = await openDatabase({ kind: 'memory' });
  try {
    await applyMigrations(db.adapterFactory);
    await seedDatabase(db.prisma);
    const total = emptyScores();
    const files = readdirSync(folder)
      .filter((f) => f.endsWith('.txt'))
      .sort();
    console.log(`| text | style | statements (gold / drafted) | figures P | figures R |\n| --- | --- | ---: | ---: | ---: |`);
    for (const file of files) {
      const gold = readGold(join(folder, file.replace(/\.txt$/, '.json')));
      const draft = await draftFromDatabase(
        db.prisma,
        { text: readFileSync(join(folder, file), 'utf8'), publishedAt: gold.publishedAt ? new Date(gold.publishedAt) : null, publisher: gold.publisher },
        [LOCAL_OPERATOR.owner],
      );
      const { scores, misses } = scoreDraft(gold, draft);
      addScores(total, scores);
      const f = scores['figure (kind, low, high)'];
      console.log(
        `| ${file} | ${gold.style} | ${gold.statements.length} / ${draft.statements.length} | ${precision(f).toFixed(2)} | ${recall(f).toFixed(2)} |`,
      );
      if (verbose) for (const miss of misses) console.log(`    - ${miss}`);
    }
    console.log(`\n${files.length} texts\n\n${scoreTable(total)}`);
  } finally {
    await db.close();
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
