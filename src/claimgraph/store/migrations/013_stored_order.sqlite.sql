CREATE INDEX IF NOT EXISTS articles_stored_order ON articles(ingested_at, id);
