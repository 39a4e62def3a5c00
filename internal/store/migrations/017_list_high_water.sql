-- The highest numeric entry id of a list version: for a list that carries
-- no date (the OFAC CSV set), what tells a newer file from an older one —
-- OFAC numbers entries in the order it designates them.
ALTER TABLE list_versions ADD COLUMN max_entry BIGINT NOT NULL DEFAULT 0;
