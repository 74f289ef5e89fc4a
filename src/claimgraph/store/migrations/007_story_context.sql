-- claimgraph store, migration 7: each claim's and candidate's story vector (float32 bytes,
-- the mean of its members' articles' unit vectors), so that a later link run keeps units of
-- another story out of it (claimgraph.link.claims.CONTEXT_GATE). NULL: no story known (an
-- article of fewer units than CONTEXT_MIN_UNITS, or a store linked before this migration).
ALTER TABLE claim_state ADD COLUMN context {blob};
ALTER TABLE claim_candidates ADD COLUMN context {blob};
