-- The desk: users with their wrapped keys, sessions, and what analysts track
-- about a report in the clear (assignee, priority, labels, legal hold).

CREATE TABLE users (
	id             TEXT PRIMARY KEY,
	name           TEXT NOT NULL UNIQUE,
	password       TEXT NOT NULL,            -- argon2id verifier record, never the password
	public_key     TEXT NOT NULL,            -- tips are wrapped to this
	wrapped_key    BLOB NOT NULL,            -- the private key, wrapped by the password-derived secret
	totp_sealed    BLOB NOT NULL,            -- the TOTP secret, sealed to the user's own public key
	totp_last_step BIGINT NOT NULL DEFAULT 0,-- a code's step is accepted once
	totp_enrolled  INTEGER NOT NULL DEFAULT 1,
	disabled       INTEGER NOT NULL DEFAULT 0,
	created_at     BIGINT NOT NULL
);

CREATE TABLE user_roles (
	user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	role    TEXT NOT NULL,
	PRIMARY KEY (user_id, role)
);

-- A logged-in desk user: the private key wrapped under a secret that lives
-- only in the user's cookie. id is a hash of the cookie's session id.
CREATE TABLE desk_sessions (
	id          TEXT PRIMARY KEY,
	user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	wrapped_key BLOB NOT NULL,
	created_at  BIGINT NOT NULL,
	expires_at  BIGINT NOT NULL
);
CREATE INDEX desk_sessions_by_user ON desk_sessions(user_id);

ALTER TABLE tips ADD COLUMN assignee TEXT;
ALTER TABLE tips ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tips ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tips ADD COLUMN closed_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX tips_by_received ON tips(received_at);

CREATE TABLE tip_labels (
	tip_id TEXT NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
	label  TEXT NOT NULL,
	PRIMARY KEY (tip_id, label)
);

CREATE TABLE notes (
	id         TEXT PRIMARY KEY,
	tip_id     TEXT NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
	author     TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	body_blob  TEXT NOT NULL REFERENCES blobs(id)
);
CREATE INDEX notes_by_tip ON notes(tip_id);

-- The statuses a report can have, each mapped to the public state its source
-- sees. The built-in ones are seeded; an admin may add more.
CREATE TABLE statuses (
	code         TEXT PRIMARY KEY,
	public_state TEXT NOT NULL,
	position     INTEGER NOT NULL,
	builtin      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO statuses (code, public_state, position, builtin) VALUES
	('new', 'received', 1, 1),
	('triage', 'under_review', 2, 1),
	('investigating', 'under_review', 3, 1),
	('corroborated', 'under_review', 4, 1),
	('referred', 'under_review', 5, 1),
	('closed_no_action', 'closed', 6, 1),
	('closed_duplicate', 'closed', 7, 1);
CREATE INDEX tip_keys_by_holder ON tip_keys(holder, tip_id);
