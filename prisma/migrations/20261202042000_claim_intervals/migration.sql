-- Hand-written: what a claim means as a number, the SQL twin of src/claims/interval.ts (read
-- the rules there; test/claim-intervals.test.ts checks that the two agree on random claims).
-- Every statement in src/claims/ (comparisons, totals, track records) calls these functions
-- rather than restating a bound, a sum, a combination or an overlap test. Prisma's schema
-- language has no functions and its diff ignores them, so they live only here.
--
-- A claim is an interval of float8 [low, high]: low NULL when no number was given ("dozens"),
-- then high NULL too; high 'Infinity' when the claim is open ("at least 67"), so that open bounds
-- add, compare and order as they should. float8 holds every integer sum exactly up to 2^53, and
-- adds in hardware. Each function is one immutable expression with an SQL-standard body (RETURN,
-- PostgreSQL 14 and later): stored parsed, so the planner inlines it into the query without
-- parsing it again for every call.

-- The vague word a phrase opens with ("dozens of militants"): the index in `forms` of the
-- longest form that is the whole phrase or its first words, or NULL. `pattern` is the forms as
-- one regular expression, ^(form|form|...)(?: |$), built by interval.ts: an alternation is
-- greedy, so the longest form that fits wins. ASCII letters and spacing are normalised by hand
-- (translate, not lower(), and explicit whitespace) so that the answer never depends on the
-- database's locale: the twin of `vagueWordOf` in vague-words.ts.
CREATE FUNCTION vague_form(phrase text, pattern text, forms text[]) RETURNS int
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN array_position(forms, substring(
          btrim(regexp_replace(translate(phrase, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), '[ \t\n\r\f\v]+', ' ', 'g'), ' ')
          FROM pattern));

-- One figure as an interval. `implied_at_least` is the bound a vague word implies, passed only
-- when the client asked for implied bounds (else NULL: words give no number).
CREATE FUNCTION claim_low(kind "QuantityKind", low int, implied_at_least int) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (CASE kind WHEN 'AT_MOST' THEN 0 WHEN 'UNQUANTIFIED' THEN implied_at_least ELSE low END)::float8;

CREATE FUNCTION claim_high(kind "QuantityKind", high int, implied_at_least int) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE kind
                 WHEN 'AT_LEAST' THEN 'Infinity'::float8
                 WHEN 'UNQUANTIFIED' THEN CASE WHEN implied_at_least IS NULL THEN NULL ELSE 'Infinity'::float8 END
                 ELSE high::float8 END;

-- The high bound of a sum of claims, from count(*), count(low) and sum(high) (its low is
-- sum(low)): no number when no part has one; open when a part is open or has no number (words
-- add an unknown count); else the sum.
CREATE FUNCTION claim_sum_high(parts bigint, numbers bigint, sum_high float8) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN numbers = 0 THEN NULL WHEN numbers < parts THEN 'Infinity'::float8 ELSE sum_high END;

-- A claimant's position on an incident: the sum of its figures, open above when it counted only
-- parts of the incident (a floor for the whole).
CREATE FUNCTION claim_position_high(high float8, covers_whole boolean) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN high IS NULL OR covers_whole THEN high ELSE 'Infinity'::float8 END;

-- Exact: one number, not said approximately.
CREATE FUNCTION claim_exact(low float8, high float8, approximate boolean) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN low IS NOT NULL AND low = high AND NOT approximate;

-- The order LOWEST_CLAIM (and CONSERVATIVE) pick from, first is chosen: claims with a number
-- for the whole incident, then floors (counted only parts), then words only; within each, the
-- lowest low, then the lowest high; then the earliest statement.
CREATE FUNCTION claim_lowest_order(low float8, high float8, covers_whole boolean, statement_id int) RETURNS float8[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY[CASE WHEN low IS NULL THEN 2 WHEN covers_whole THEN 0 ELSE 1 END,
                     coalesce(low, 0), coalesce(high, 0), statement_id];

-- The order HIGHEST_CLAIM picks from: claims with a number (floors included: they claim at
-- least their sum), the highest low first, then the highest high (open highest), then claims
-- for the whole before floors; then the earliest statement.
CREATE FUNCTION claim_highest_order(low float8, high float8, covers_whole boolean, statement_id int) RETURNS float8[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY[CASE WHEN low IS NULL THEN 1 ELSE 0 END, -coalesce(low, 0), -coalesce(high, 0),
                     CASE WHEN covers_whole THEN 0 ELSE 1 END, statement_id];

-- How a set of claims with a number compare, from count(low), max(low), min(high), min(low),
-- max(high) and bool_and(claim_exact(...)) over them.
-- The ratio: the smallest factor separating them, highest low ÷ lowest high (at most 1 when
-- they overlap); none for a single claim, when every claim is open, or when the lowest high is 0.
CREATE FUNCTION claims_ratio(numbers bigint, max_low float8, min_high float8) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN numbers < 2 OR min_high = 'Infinity' OR min_high = 0 THEN NULL
                    ELSE max_low::float8 / min_high::float8 END;

-- They overlap when one number satisfies them all.
CREATE FUNCTION claims_overlap(max_low float8, min_high float8) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN max_low <= min_high;

CREATE FUNCTION claims_agreement(numbers bigint, max_low float8, min_high float8, min_low float8, max_high float8, all_exact boolean)
  RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN numbers < 2 THEN 'SINGLE_CLAIMANT'
                    WHEN NOT claims_overlap(max_low, min_high) THEN 'DISAGREE'
                    WHEN all_exact AND min_low = max_high THEN 'AGREE'
                    ELSE 'CONSISTENT' END;
