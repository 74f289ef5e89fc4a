-- claimgraph store, migration 3 (PostgreSQL): the same indexes as migrations/003_search.sql,
-- for the faceted search and paged reads of the JSON API (claimgraph.store.search).
CREATE INDEX articles_published ON articles(published, id);
CREATE INDEX articles_id_meta ON articles(id, outlet, published);
CREATE INDEX statements_article_idx ON statements(article_id, idx, speaker);
CREATE INDEX statements_speaker_id ON statements(speaker, id);
CREATE INDEX cues_article_type ON cues(article_id, type);
CREATE INDEX cues_type ON cues(type);
CREATE INDEX cues_statement_type ON cues(statement_id, type);
CREATE INDEX claim_members_statement ON claim_members(statement_id, claim_id, stance);
CREATE INDEX claim_members_article_claim ON claim_members(article_id, claim_id, stance);
