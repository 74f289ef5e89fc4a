-- claimgraph store, migration 5: actors across the corpus. speaker_actors maps a
-- statement's speaker, as its article names it ("Trump", "JAKE TAPPER"), to the corpus's name
-- for the same person ("Donald Trump", "Jake Tapper"; claimgraph.link.actors.fold_speakers).
-- Only names that change are listed; every link run rewrites the table. Stores linked before
-- it read every speaker as its own actor until the next link run.
CREATE TABLE speaker_actors (
    speaker TEXT PRIMARY KEY,
    actor TEXT NOT NULL
);
CREATE INDEX speaker_actors_actor ON speaker_actors (actor);
