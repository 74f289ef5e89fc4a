-- claimgraph store, migration 1 on SQLite: FTS5 tables over each article's title and text
-- and each statement's speaker and text, written beside the rows by the store.
CREATE VIRTUAL TABLE articles_fts USING fts5(article_id UNINDEXED, title, text);
CREATE VIRTUAL TABLE statements_fts USING fts5(statement_id UNINDEXED, speaker, text);
