-- claimgraph store, migration 9: what a statement's speaker spoke through ("statement" for
-- "X said in a statement", "X released a statement saying") and who relays it ("the Valley
-- Weekly" for "…, said X, according to the Valley Weekly"; the speaker stays X). NULL: none
-- named, or a statement stored before this migration.
ALTER TABLE statements ADD COLUMN medium TEXT;
ALTER TABLE statements ADD COLUMN via TEXT;
