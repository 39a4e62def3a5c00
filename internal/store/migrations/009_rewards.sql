-- Rewards: a recommendation per reward, and an append-only ledger of what
-- happened to it (approvals, denials, payments, corrections). Amounts,
-- states, deciders and dates are in the clear — the cap, the oversight totals
-- and `tipline rewards verify` need them; justifications, reasons and payment
-- references are sealed to the tip's key.

CREATE TABLE settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
INSERT INTO settings (name, value) VALUES ('reward_ceiling_usd', '5000000');

ALTER TABLE offers ADD COLUMN subject TEXT NOT NULL DEFAULT '';

CREATE TABLE rewards (
	id                 TEXT PRIMARY KEY,
	tip_id             TEXT NOT NULL REFERENCES tips(id),
	offer_id           TEXT NOT NULL REFERENCES offers(id),
	amount_usd         BIGINT NOT NULL,
	recommended_by     TEXT NOT NULL,      -- user id
	recommended_at     BIGINT NOT NULL,
	justification_blob TEXT NOT NULL REFERENCES blobs(id)
);
CREATE INDEX rewards_by_tip ON rewards(tip_id);

CREATE TABLE reward_ledger (
	id          TEXT PRIMARY KEY,
	reward_id   TEXT NOT NULL REFERENCES rewards(id),
	seq         INTEGER NOT NULL,          -- per reward, from 1
	kind        TEXT NOT NULL,             -- approve, deny, pay, correct
	actor       TEXT NOT NULL,             -- user id
	at          BIGINT NOT NULL,
	amount      BIGINT NOT NULL DEFAULT 0, -- pay: amount paid, in currency's units
	currency    TEXT NOT NULL DEFAULT '',
	method      TEXT NOT NULL DEFAULT '',  -- pay: bank, cash, crypto
	detail_blob TEXT REFERENCES blobs(id), -- sealed: a reason, a payment reference
	UNIQUE (reward_id, seq)
);
