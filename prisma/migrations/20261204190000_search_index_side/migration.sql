-- Hand-written: which condition a search gives a table's GIN index when the query's last word is
-- a prefix (src/search/index-side.ts). The rows found are the same either way; only the cost
-- differs. For a prefix the index gathers every row under every word that starts with it (82,755
-- statements under "front" at 1M figures) before intersecting with the other words; given the
-- whole words alone it skips through the rarest one's rows, but every row with them is then read
-- to check the prefix ("killed balo": 380,000 statements with "killed").
--
-- The choice follows the statistics the database keeps on the table's "searchDocument"
-- (pg_stats.most_common_elems: the lexemes in most rows and each one's share of rows, refreshed
-- by ANALYZE): the whole words alone when the rows with a lexeme starting with the last word (a
-- lower bound: the common lexemes only) are over 10 times the rows with the rarest whole word (an
-- upper bound: a word with no common lexeme counts as the least common one). Then, even if every
-- row with that word lacked the prefix, reading them costs no more than the index entries spared
-- (at 1M figures the index gathers ~80,000 entries in the time the heap gives ~8,000 rows).
--
-- A function, not SQL in the search statement: PL/pgSQL keeps the plans of its queries for the
-- session (generic plans, forced: a custom plan would plan the pg_stats view on every call), and
-- planning that view in every search cost more than the choice saves on small tables. Tables
-- under 10,000 rows (pg_class.reltuples) are not looked at: a prefix gives them a few thousand
-- entries at most. `head` is the words before the last, separated by spaces. STABLE: the
-- statistics do not change within a statement.
CREATE FUNCTION search_index_head(searched regclass, head text, last text) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  table_rows real;
  table_name name;
  table_schema text;
  lexemes text[];
  shares real[];
  prefixes text[];
  prefix_share real;
  word_share real;
BEGIN
  -- the small tables first, and alone: no plan of the pg_stats view on their connections
  SELECT c.reltuples, c.relname, c.relnamespace::regnamespace::text INTO table_rows, table_name, table_schema
  FROM pg_class c WHERE c.oid = searched;
  IF table_rows < 10000 THEN
    RETURN false;
  END IF;
  SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs INTO lexemes, shares
  FROM pg_stats s
  WHERE s.schemaname = table_schema AND s.tablename = table_name AND s.attname = 'searchDocument';
  IF lexemes IS NULL THEN
    RETURN false;
  END IF;
  -- the shares of the lexemes are followed by the least and the greatest share (ts_typanalyze);
  -- the prefixes in a variable, so that the generic plan does not lexize them on every lexeme
  prefixes := tsvector_to_array(to_tsvector('english', last) || to_tsvector('simple', last));
  SELECT sum(u.share) INTO prefix_share
  FROM unnest(lexemes, shares) u(lexeme, share)
  WHERE u.lexeme ^@ ANY (prefixes);
  -- a word `english` drops (a stop word) does not bound the rows: the english side lacks it
  SELECT min((SELECT sum(coalesce(shares[array_position(lexemes, l)], shares[cardinality(lexemes) + 1]))
              FROM unnest(tsvector_to_array(to_tsvector('english', w) || to_tsvector('simple', w))) l))
  INTO word_share
  FROM unnest(string_to_array(head, ' ')) w
  WHERE to_tsvector('english', w) <> ''::tsvector;
  RETURN coalesce(prefix_share > 10 * word_share, false);
END
$$;
