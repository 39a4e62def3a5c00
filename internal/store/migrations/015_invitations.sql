-- A desk user an admin invited on the desk: a name, roles and the hash of a
-- one-time enrolment code. No passphrase and no key pair exist until the
-- invited person logs in with the code and chooses them; the user row is
-- made then, so every row of users has a key pair.
CREATE TABLE invitations (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	roles      TEXT NOT NULL,   -- space-separated
	code_hash  TEXT NOT NULL,
	expires_at BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);

-- An activation in progress: the new key pair, wrapped under a secret that
-- lives only in the invited person's cookie, and the new second factor
-- sealed to it, until they confirm with a first code.
CREATE TABLE activations (
	id            TEXT PRIMARY KEY,   -- hash of the cookie's id
	invitation_id TEXT NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
	public_key    TEXT NOT NULL,
	wrapped_key   BLOB NOT NULL,
	totp_sealed   BLOB NOT NULL,
	expires_at    BIGINT NOT NULL
);
CREATE INDEX activations_by_invitation ON activations(invitation_id);
