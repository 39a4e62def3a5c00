-- Sanctions-list versions. Every import is a new row that is never changed;
-- list_current says which version of each source is in force, and is the
-- only thing an import updates, in the same transaction as its insert.
-- A version's entries are one gzip-compressed JSON array (the screen.Entry
-- model): the index is always built from whole versions, a version is never
-- edited, and one blob keeps a 15,000-entry OFAC import to a single row.
CREATE TABLE list_versions (
	id           TEXT PRIMARY KEY,
	source       TEXT NOT NULL,      -- "un", "ofac", "un-vessels"
	format       TEXT NOT NULL,      -- e.g. "un-xml", "ofac-csv"
	sha256       TEXT NOT NULL,      -- of the file, or of the set of files
	published_at BIGINT NOT NULL,    -- Unix seconds: the list's date, or imported_at when it has none
	dated        INTEGER NOT NULL,   -- 1 when published_at comes from the list itself
	imported_at  BIGINT NOT NULL,
	persons      INTEGER NOT NULL,
	orgs         INTEGER NOT NULL,
	vessels      INTEGER NOT NULL,
	wallets      INTEGER NOT NULL,
	entries      BLOB NOT NULL
);

CREATE INDEX list_versions_source ON list_versions (source, imported_at);

CREATE TABLE list_current (
	source     TEXT PRIMARY KEY,
	version_id TEXT NOT NULL REFERENCES list_versions(id)
);
