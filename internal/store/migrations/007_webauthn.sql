-- WebAuthn (security keys, passkeys) as an optional second factor. Nothing
-- here opens anything: public keys, counters, and short-lived ceremony state.

-- A user's registered authenticators. credential_id is the authenticator's
-- own id; id is ours, for links. A counter that goes backwards is refused.
CREATE TABLE webauthn_credentials (
	id               TEXT PRIMARY KEY,
	user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	credential_id    BLOB NOT NULL,
	public_key       BLOB NOT NULL,            -- COSE key
	sign_count       BIGINT NOT NULL DEFAULT 0,
	transports       TEXT NOT NULL DEFAULT '', -- comma-separated hints for the browser
	aaguid           BLOB NOT NULL,
	flags            INTEGER NOT NULL DEFAULT 0,-- backup eligibility must not change
	attestation_type TEXT NOT NULL DEFAULT '',
	name             TEXT NOT NULL,
	created_at       BIGINT NOT NULL,
	last_used_at     BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX webauthn_credentials_by_credential ON webauthn_credentials(credential_id);
CREATE INDEX webauthn_credentials_by_user ON webauthn_credentials(user_id);

-- A login whose password was right and whose security key is yet to answer.
-- Like a desk session, the private key is wrapped under a secret that lives
-- only in the cookie; unlike one, it opens no desk page. id is a hash of the
-- cookie's id. ceremony is the assertion begun, if any (JSON, no secret).
CREATE TABLE webauthn_logins (
	id          TEXT PRIMARY KEY,
	user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	wrapped_key BLOB NOT NULL,
	ceremony    BLOB NULL,
	expires_at  BIGINT NOT NULL
);

-- A registration begun from a desk session, finished once.
CREATE TABLE webauthn_registrations (
	session_id TEXT PRIMARY KEY REFERENCES desk_sessions(id) ON DELETE CASCADE,
	ceremony   BLOB NOT NULL,
	expires_at BIGINT NOT NULL
);
