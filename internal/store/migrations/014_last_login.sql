-- When each desk user last logged in, to the hour: enough for an operator
-- to see dormant accounts, no finer.
ALTER TABLE users ADD COLUMN last_login_hour BIGINT NOT NULL DEFAULT 0;
