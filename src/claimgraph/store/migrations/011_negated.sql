-- claimgraph store, migration 11: whether a statement's reporting verb is negated ("Her
-- end-of-visit statement did not call out …", "Wang did not disclose …"), 1 or 0, written with
-- the statement by `claimgraph.extract.verbs.negated_cue`. Its content is what the speaker did
-- not say: such a statement stays stored (and shown, marked negated, on its article's page)
-- but is no statement of its speaker's in the speaker lists and search facets. Opening a store
-- applies this migration, then sets the flag of the statements already stored from their
-- article's text (`claimgraph.store.base.SqlStore._backfill_negated`, in the same step).
ALTER TABLE statements ADD COLUMN negated INTEGER NOT NULL DEFAULT 0;
-- what the speaker lists count (speakers of statements not negated), from this index alone
CREATE INDEX statements_speaking ON statements(speaker, negated) WHERE negated = 0;
