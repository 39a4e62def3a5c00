-- The recovery recipient new reports' keys are wrapped to, once it has been
-- rotated (until then the key file's is in force), and the rotation in
-- progress: rotating_from is the recipient being replaced, '' when none. The
-- database holds it so that every app server wraps to the same one.
CREATE TABLE recovery_recipient (
	id            INTEGER PRIMARY KEY CHECK (id = 1),
	recipient     TEXT NOT NULL,
	rotating_from TEXT NOT NULL DEFAULT '',
	changed_at    BIGINT NOT NULL
);

-- Reports whose recovery copy is still wrapped to rotating_from: a rotation
-- rewraps each and deletes its row, one report per transaction, so an
-- interrupted rotation resumes where it stopped.
CREATE TABLE recovery_pending (
	tip_id TEXT PRIMARY KEY REFERENCES tips(id) ON DELETE CASCADE
);

-- A removed desk user keeps their row, so the audit log and the records that
-- name them (notes, rewards, the ledger) still say who; nothing of theirs
-- opens or logs in any more.
ALTER TABLE users ADD COLUMN removed_at BIGINT NOT NULL DEFAULT 0;
