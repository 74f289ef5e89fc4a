-- claimgraph store, migration 6 (PostgreSQL): the same tables as migrations/006_topics.sql.
-- Topics, claims grouped by issue for browsing ("forced
-- labour", "genocide", "visa restrictions"), above the claims that hold the propositions.
-- Computed from the stored claims by claimgraph.link.topics.assign_topics, which rewrites
-- both tables at every call; each claim has one topic (a lone claim is its own). The matrix
-- and stance stay on claims. Stores linked before it have no topics until the next link run.
CREATE TABLE topics (
    topic_id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    key_terms TEXT NOT NULL,
    n_claims INTEGER NOT NULL,
    n_members INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE claim_topics (
    claim_id TEXT PRIMARY KEY REFERENCES claims(claim_id) ON DELETE CASCADE,
    topic_id TEXT NOT NULL REFERENCES topics(topic_id) ON DELETE CASCADE
);
CREATE INDEX claim_topics_topic ON claim_topics(topic_id);
