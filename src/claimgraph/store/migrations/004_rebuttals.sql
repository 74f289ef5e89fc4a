-- claimgraph store, migration 4: how a member came to its claim. 'meaning': its words joined
-- the claim (the clustering). 'rebuttal': a denial that names the accusations its article
-- reports only generically ("rejects claims of mistreating the Uighurs", "concocted lies about
-- human rights"), counted against each accusation the other side makes in the same article
-- (claimgraph.link.run.rebuttal_rows). Stores linked before it read 'meaning' throughout.
ALTER TABLE claim_members ADD COLUMN via TEXT NOT NULL DEFAULT 'meaning'
    CHECK (via IN ('meaning', 'rebuttal'));
