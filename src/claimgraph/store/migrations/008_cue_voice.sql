-- claimgraph store, migration 8: each cue's voice, 'outlet' (its narration or headline) or
-- 'speaker' (inside a statement, statement_id set), so that profiles count an outlet's own
-- framing apart from the framing of the people it quotes. Older rows get it from statement_id.
ALTER TABLE cues ADD COLUMN voice TEXT;
UPDATE cues SET voice = CASE WHEN statement_id IS NULL THEN 'outlet' ELSE 'speaker' END;
CREATE INDEX cues_voice_type ON cues(voice, type);
