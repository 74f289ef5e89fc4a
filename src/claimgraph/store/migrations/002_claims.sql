-- claimgraph store, migration 2: claims (statements and narrated sentences, across articles,
-- that assert or deny the same proposition), their members with each one's stance, and what
-- the link step needs to add new articles to them incrementally.
-- {blob} and {float8}: the dialect's byte string and 8-byte float (claimgraph.store.schema).
-- claims and claim_members are the shared contract (read by the report, the UI and exports).
CREATE TABLE claims (
    claim_id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    key_terms TEXT NOT NULL,
    centroid {blob},
    n_members INTEGER NOT NULL,
    created_at TEXT,
    updated_at TEXT
);

CREATE TABLE claim_members (
    member_id TEXT PRIMARY KEY,
    claim_id TEXT NOT NULL REFERENCES claims(claim_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    statement_id TEXT,
    voice TEXT NOT NULL CHECK (voice IN ('speaker', 'outlet')),
    speaker TEXT,
    stance TEXT NOT NULL CHECK (stance IN ('affirm', 'deny', 'report')),
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    similarity {float8}
);
CREATE INDEX claim_members_claim ON claim_members(claim_id);
CREATE INDEX claim_members_article ON claim_members(article_id);

-- The link step's own state (not part of the contract). claim_state: each claim's key-term
-- counts (JSON {term: members}) and representative sentence, the one stances are taken toward.
CREATE TABLE claim_state (
    claim_id TEXT PRIMARY KEY REFERENCES claims(claim_id) ON DELETE CASCADE,
    terms TEXT NOT NULL,
    text TEXT NOT NULL
);

-- Units that no other unit has joined yet (a claim of one): kept out of `claims`, so that the
-- tables are not flooded with one-off sentences, and offered to later articles as partners.
CREATE TABLE claim_candidates (
    candidate_id TEXT PRIMARY KEY,
    unit_key TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    statement_id TEXT,
    voice TEXT NOT NULL CHECK (voice IN ('speaker', 'outlet')),
    speaker TEXT,
    stance_text TEXT,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    centroid {blob} NOT NULL,
    terms TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX claim_candidates_article ON claim_candidates(article_id);

-- Articles the link step has gathered units from: a re-run skips them.
CREATE TABLE linked_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    n_units INTEGER NOT NULL,
    linked_at TEXT NOT NULL
);
