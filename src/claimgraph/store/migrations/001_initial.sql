-- claimgraph store, migration 1: articles with provenance, sources, input files, runs,
-- failures, statements, cues, term uses. The full-text indexes differ by dialect:
-- 001_initial.sqlite.sql and 001_initial.postgres.sql.
CREATE TABLE outlets (
    name TEXT PRIMARY KEY,
    domain TEXT,
    country TEXT,
    type TEXT,
    labels TEXT
);

CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    outlet TEXT, outlet_prov TEXT NOT NULL DEFAULT 'none',
    title TEXT, title_prov TEXT NOT NULL DEFAULT 'none',
    published TEXT, published_prov TEXT NOT NULL DEFAULT 'none',
    dateline TEXT, dateline_prov TEXT NOT NULL DEFAULT 'none',
    agency TEXT, agency_prov TEXT NOT NULL DEFAULT 'none',
    language TEXT, language_prov TEXT NOT NULL DEFAULT 'none',
    author TEXT, author_prov TEXT NOT NULL DEFAULT 'none',
    url TEXT, url_prov TEXT NOT NULL DEFAULT 'none',
    text TEXT NOT NULL,
    n_words INTEGER NOT NULL,
    fmt TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    extractor_version TEXT NOT NULL
);
CREATE INDEX articles_outlet ON articles(outlet);

CREATE TABLE article_sources (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    fmt TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (article_id, source)
);
CREATE INDEX article_sources_source ON article_sources(source);

CREATE TABLE input_files (
    path TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    n_articles INTEGER NOT NULL,
    processed_at TEXT NOT NULL
);

CREATE TABLE runs (
    id {autoid},
    started_at TEXT NOT NULL,
    finished_at TEXT,
    args TEXT NOT NULL,
    n_stored INTEGER,
    n_unchanged INTEGER,
    n_duplicate INTEGER,
    n_failed INTEGER
);

CREATE TABLE failures (
    id {autoid},
    run_id INTEGER NOT NULL REFERENCES runs(id),
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE statements (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    speaker TEXT,
    speaker_mention TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    speaker_type TEXT,
    speaker_role TEXT,
    speaker_title TEXT,
    speaker_affiliation TEXT,
    cue TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    cue_class TEXT
);
CREATE INDEX statements_article ON statements(article_id);
CREATE INDEX statements_speaker ON statements(speaker);

CREATE TABLE cues (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    type TEXT NOT NULL,
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    technique TEXT,
    statement_id TEXT,
    detail TEXT
);
CREATE INDEX cues_article ON cues(article_id);

CREATE TABLE term_uses (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    term TEXT NOT NULL,
    variant TEXT NOT NULL,
    grp TEXT,
    voice TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    statement_id TEXT
);
CREATE INDEX term_uses_article ON term_uses(article_id);
