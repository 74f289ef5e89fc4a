-- claimgraph store, migration 12: the statements that speak for their speaker (`rows.speaks`:
-- a speaker, and no negated report) by article, for the speaker facet of an article search
-- (claimgraph.store.search): it reads the speakers of every article in the window of hits,
-- from this index alone, where statements_article_idx made it read each statement's row to
-- check its negated flag.
CREATE INDEX statements_article_speaking ON statements(article_id, speaker)
    WHERE speaker > '' AND negated = 0;
