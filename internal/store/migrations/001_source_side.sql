-- The source side: offers, tips, their wrapped keys, sealed blobs, messages.
-- One portable schema for SQLite and PostgreSQL: BLOB is rewritten to BYTEA
-- for PostgreSQL, and times are Unix seconds in BIGINT columns.

CREATE TABLE offers (
	id             TEXT PRIMARY KEY,
	title          TEXT NOT NULL,    -- JSON object: language -> text
	description    TEXT NOT NULL,    -- JSON object: language -> text
	max_reward_usd BIGINT NOT NULL,
	categories     TEXT NOT NULL,    -- JSON array of category codes
	is_default     INTEGER NOT NULL DEFAULT 0,
	starts_at      BIGINT NOT NULL DEFAULT 0,
	ends_at        BIGINT NOT NULL DEFAULT 0,
	created_at     BIGINT NOT NULL
);

-- Who new tips of an offer are wrapped to at intake: public keys only.
CREATE TABLE offer_recipients (
	offer_id  TEXT NOT NULL REFERENCES offers(id),
	holder    TEXT NOT NULL,         -- e.g. "user:<id>"
	recipient TEXT NOT NULL,         -- age public key
	PRIMARY KEY (offer_id, holder)
);

-- Sealed content, cut into chunks: one thing to back up, no loose files.
-- A blob with staged_at set belongs to no tip yet; the sweeper deletes it.
CREATE TABLE blobs (
	id        TEXT PRIMARY KEY,
	tip_id    TEXT,
	size      BIGINT NOT NULL DEFAULT 0,
	staged_at BIGINT
);
CREATE INDEX blobs_by_tip ON blobs(tip_id);
CREATE INDEX blobs_staged ON blobs(staged_at);

CREATE TABLE blob_chunks (
	blob_id TEXT NOT NULL REFERENCES blobs(id) ON DELETE CASCADE,
	seq     INTEGER NOT NULL,
	data    BLOB NOT NULL,
	PRIMARY KEY (blob_id, seq)
);

-- What the desk sorts and filters on, in the clear; what the source wrote is
-- in the sealed content blob.
CREATE TABLE tips (
	id             TEXT PRIMARY KEY,
	offer_id       TEXT NOT NULL REFERENCES offers(id),
	category       TEXT NOT NULL,
	status         TEXT NOT NULL,
	wants_reward   INTEGER NOT NULL,
	has_hits       INTEGER NOT NULL DEFAULT 0,
	received_at    BIGINT NOT NULL,  -- rounded down to the hour
	public_key     TEXT NOT NULL,
	receipt_lookup TEXT UNIQUE,      -- NULL once the source ends the receipt's access
	content_blob   TEXT NOT NULL REFERENCES blobs(id)
);
CREATE INDEX tips_queue ON tips(status, received_at);

-- The tip's private key, wrapped to each holder. Deleting a tip's rows
-- shreds it.
CREATE TABLE tip_keys (
	tip_id  TEXT NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
	holder  TEXT NOT NULL,           -- "receipt", "recovery", "user:<id>"
	wrapped BLOB NOT NULL,
	PRIMARY KEY (tip_id, holder)
);

CREATE TABLE messages (
	id         TEXT PRIMARY KEY,
	tip_id     TEXT NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
	author     TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	created_at BIGINT NOT NULL,      -- rounded down to the minute
	body_blob  TEXT NOT NULL REFERENCES blobs(id),
	UNIQUE (tip_id, seq)
);

-- A source logged in with a receipt: the tip key wrapped under a secret that
-- lives only in the source's cookie. The id is a hash of the cookie's id.
CREATE TABLE source_sessions (
	id          TEXT PRIMARY KEY,
	tip_id      TEXT NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
	wrapped_key BLOB NOT NULL,
	expires_at  BIGINT NOT NULL
);
CREATE INDEX source_sessions_expiry ON source_sessions(expires_at);
