-- The audit log: who read or changed what, as a hash chain signed with a key
-- from the key file (see internal/audit). One row per event.
--
-- detail is a short note such as "status new -> triage" or "grant to
-- user:<id>": NEVER report content, message text, file names or anything a
-- source wrote, since this table is stored and backed up in the clear.
--
-- seq is 1, 2, 3, ... with no gaps: the appender assigns head+1 under a lock
-- rather than using a sequence, because sequences leave gaps on rollback and
-- a gap is how the verifier spots a removed row. The primary key is the
-- backstop: two appenders that raced to the same seq cannot both commit.
-- tip_id has no foreign key, so that shredding a tip keeps its history.
CREATE TABLE audit_log (
	seq       BIGINT PRIMARY KEY,
	at        BIGINT NOT NULL,      -- Unix seconds
	actor     TEXT NOT NULL,        -- "user:<id>", "system", "cli"
	action    TEXT NOT NULL,        -- "tip.read", "tip.status", "login.ok", ...
	tip_id    TEXT,                 -- NULL when the event concerns no report
	detail    TEXT NOT NULL,
	prev_hash TEXT NOT NULL,        -- hex SHA-256 of the entry before
	hash      TEXT NOT NULL,        -- hex SHA-256 of this entry
	mac       TEXT NOT NULL         -- hex HMAC-SHA-256 of hash, keyed from the key file
);
CREATE INDEX audit_log_by_tip ON audit_log(tip_id, seq);
CREATE INDEX audit_log_by_actor ON audit_log(actor, seq);
