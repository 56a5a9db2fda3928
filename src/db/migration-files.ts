// Where the migrations are (Prisma's layout), apart from the engine that applies them: the seed
// archive's name (src/seed/archive.ts) hashes them without loading the schema engine.
export const MIGRATIONS_DIR = 'prisma/migrations';
