-- How each source's last automatic refresh went, for the analysts' warning
-- and the metrics; and when the lists were last refreshed, so that several
-- servers on one database refresh once, not once each.
CREATE TABLE list_refresh (
	source        TEXT PRIMARY KEY,
	last_attempt  BIGINT NOT NULL,
	last_ok       BIGINT NOT NULL DEFAULT 0,
	failing_since BIGINT NOT NULL DEFAULT 0,  -- 0 when the last attempt succeeded
	error         TEXT NOT NULL DEFAULT ''
);
INSERT INTO settings (name, value) VALUES ('lists_refreshed_at', '0');
