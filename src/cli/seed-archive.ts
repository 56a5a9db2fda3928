// `npm run build`'s last step (scripts/build.mjs): the seed archive a new data directory is made from.
import { writeSeedArchive } from '../seed/make-archive.js';

const file = await writeSeedArchive();
console.log(`seed archive: ${file}`);
