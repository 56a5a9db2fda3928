// What the drafter accepts, apart from the drafter itself: the schema names the limit without
// loading compromise (which the first draft loads, ~1 s of a start otherwise).

/** The longest text drafted at once: a long article is 10–20,000 characters (drafting takes about 0.16 ms a character on one core, and holds it). */
export const MAX_DRAFT_CHARACTERS = 50_000;
