-- Screening results: sealed with the tip (the hits name what the source
-- wrote), with a flag in the clear for the queue filter, and a flag asking for
-- the names to be screened again when an analyst next opens the tip.
ALTER TABLE tips ADD COLUMN screening_blob TEXT;
ALTER TABLE tips ADD COLUMN rescreen INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tips_has_hits ON tips(has_hits);
