CREATE INDEX IF NOT EXISTS articles_stored_order ON articles (ingested_at COLLATE "C", id COLLATE "C");
