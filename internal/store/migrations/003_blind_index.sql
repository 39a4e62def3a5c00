-- The keyed blind index: HMAC tokens of what each tip names (IMO numbers,
-- MMSIs, wallets, names), computed with a key that is not in the database.
CREATE TABLE tip_tokens (
	tip_id TEXT NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
	token  TEXT NOT NULL,
	PRIMARY KEY (token, tip_id)
);
CREATE INDEX tip_tokens_by_tip ON tip_tokens(tip_id);
