-- claimgraph store, migration 1 on PostgreSQL: a generated tsvector column `fts` with a GIN
-- index on articles and statements (what the FTS5 tables are on SQLite). The 'simple'
-- configuration folds case and does not stem, like FTS5's unicode61 tokenizer. Only the first
-- 100,000 characters are indexed (far beyond a long news feature): a tsvector is capped at
-- 1 MB, and a longer text of short unique tokens could pass that cap.
ALTER TABLE articles ADD COLUMN fts tsvector GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig, left(coalesce(title, '') || ' ' || text, 100000))
) STORED;
CREATE INDEX articles_fts ON articles USING GIN (fts);

ALTER TABLE statements ADD COLUMN fts tsvector GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig, left(coalesce(speaker, '') || ' ' || text, 100000))
) STORED;
CREATE INDEX statements_fts ON statements USING GIN (fts);
