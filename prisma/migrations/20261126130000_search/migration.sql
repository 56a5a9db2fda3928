-- Hand-written: full-text search. Prisma's schema language has no expression indexes and its
-- diff ignores them (and functions) on PostgreSQL, so they live only here: schema.prisma stays
-- without them, and later migrations generated from it neither recreate nor drop them.
--
-- Each searchable table has one IMMUTABLE function that builds its search document (a
-- tsvector) from its columns, and a GIN index on that function. src/search/search.ts calls the
-- same function in its WHERE clause, which is what lets the planner use the index. The bodies
-- call only built-in functions: PostgreSQL 17 builds indexes with search_path = pg_catalog.
--
-- Configuration: names and aliases are indexed with both `simple` (every word kept as written,
-- lower-cased: "BLA", and abbreviations such as "IS" or "US" that are English stop words) and
-- `english` (stemmed, so that a query stemmed by `english` finds them too). Prose
-- (descriptions, statement text, notes) is indexed with `english`: "attacks", "attacked" and
-- "attack" meet. Queries run through both configurations, OR-ed (see search.ts).
--
-- Weights: A names, aliases and incident titles; B statement text, an official's description
-- and role titles; C other descriptions, who spoke, verification notes; D editorial notes.
--
-- array_to_string is only STABLE in general; for text[] it depends on nothing but its input.

CREATE FUNCTION search_statement(text text, claimant_description text, verification_note text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT setweight(to_tsvector('english', coalesce(text, '')), 'B')
            || setweight(to_tsvector('english', coalesce(claimant_description, '')), 'C')
            || setweight(to_tsvector('english', coalesce(verification_note, '')), 'C') $$;

CREATE FUNCTION search_incident(title text, description text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT setweight(to_tsvector('english', coalesce(title, '')), 'A')
            || setweight(to_tsvector('english', coalesce(description, '')), 'C') $$;

CREATE FUNCTION search_organisation(name text, aliases text[], description text, notes text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT setweight(to_tsvector('simple', coalesce(name, '') || ' ' || array_to_string(aliases, ' ')), 'A')
            || setweight(to_tsvector('english', coalesce(name, '') || ' ' || array_to_string(aliases, ' ')), 'A')
            || setweight(to_tsvector('english', coalesce(description, '')), 'C')
            || setweight(to_tsvector('english', coalesce(notes, '')), 'D') $$;

CREATE FUNCTION search_official(name text, aliases text[], description text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT setweight(to_tsvector('simple', coalesce(name, '') || ' ' || array_to_string(aliases, ' ')), 'A')
            || setweight(to_tsvector('english', coalesce(name, '') || ' ' || array_to_string(aliases, ' ')), 'A')
            || setweight(to_tsvector('english', coalesce(description, '')), 'B') $$;

-- Role titles live in their own table: an official is also found through the titles of its roles.
CREATE FUNCTION search_official_role(title text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT setweight(to_tsvector('english', coalesce(title, '')), 'B') $$;

CREATE FUNCTION search_place(name text, aliases text[], description text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT setweight(to_tsvector('simple', coalesce(name, '') || ' ' || array_to_string(aliases, ' ')), 'A')
            || setweight(to_tsvector('english', coalesce(name, '') || ' ' || array_to_string(aliases, ' ')), 'A')
            || setweight(to_tsvector('english', coalesce(description, '')), 'C') $$;

CREATE INDEX "Statement_search_idx" ON "Statement"
  USING GIN (search_statement("text", "claimantDescription", "verificationNote"));
CREATE INDEX "Incident_search_idx" ON "Incident"
  USING GIN (search_incident("title", "description"));
CREATE INDEX "Organisation_search_idx" ON "Organisation"
  USING GIN (search_organisation("name", "aliases", "description", "notes"));
CREATE INDEX "Official_search_idx" ON "Official"
  USING GIN (search_official("name", "aliases", "description"));
CREATE INDEX "OfficialRole_search_idx" ON "OfficialRole"
  USING GIN (search_official_role("title"));
CREATE INDEX "Place_search_idx" ON "Place"
  USING GIN (search_place("name", "aliases", "description"));
