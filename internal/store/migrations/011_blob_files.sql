-- A blob whose sealed bytes are a file in the data folder's blobs/ directory
-- (SQLite installations' uploads) rather than chunk rows: a large upload is
-- then written once, not twice through SQLite's WAL and checkpoint.
ALTER TABLE blobs ADD COLUMN in_file INTEGER NOT NULL DEFAULT 0;
