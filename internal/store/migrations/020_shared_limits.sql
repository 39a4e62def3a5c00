-- What several app servers on one database share, so that together they allow
-- no more than one server would: the desk login throttle's failures, the pace
-- of answers to wrong receipts and the sources' budgets; and a counter of the
-- changes to what servers cache, which a server on SQLite polls (PostgreSQL
-- servers are told at once by NOTIFY). None of it is backed up.
CREATE TABLE throttles (
	name       TEXT PRIMARY KEY,             -- 'login', 'login:<keyed hash of the name typed>', 'receipts'
	state      TEXT NOT NULL DEFAULT '',     -- the throttle's own encoding
	next_at    BIGINT NOT NULL DEFAULT 0,    -- Unix microseconds: the next turn ('receipts')
	expires_at BIGINT NOT NULL DEFAULT 0     -- Unix seconds after which the row means nothing; 0: never
);
CREATE INDEX throttles_expiry ON throttles (expires_at);
INSERT INTO throttles (name) VALUES ('receipts');

CREATE TABLE budgets (
	name         TEXT PRIMARY KEY,
	window_start BIGINT NOT NULL DEFAULT 0,  -- Unix microseconds: the start of the minute being counted
	spent        BIGINT NOT NULL DEFAULT 0,  -- writes taken in that minute
	stored       BIGINT NOT NULL DEFAULT 0,  -- sealed bytes as last recounted, plus writes taken since
	counted_at   BIGINT NOT NULL DEFAULT 0   -- Unix microseconds: the last recount
);
INSERT INTO budgets (name) VALUES ('sources');

CREATE TABLE cache_changes (
	name TEXT PRIMARY KEY,
	n    BIGINT NOT NULL
);
INSERT INTO cache_changes (name, n) VALUES ('all', 0);
