// Package backup writes a whole Tipline installation to one sealed file and
// restores it, on SQLite or PostgreSQL.
//
// A backup is an age file, sealed to the installation's recovery recipient
// and any others given: without one of their identities it reveals nothing,
// not even a user's name. Inside is a tar stream (format version 1,
// described in docs/operations.md):
//
//	manifest.json                 format, schema, tables with their columns and row counts, audit head
//	data/tipline.key              the key file (never recovery-identity.txt)
//	data/onion-service.key        the onion service's sealed key, when there is one
//	tables/NAME/NNNNNN.jsonl      each table's rows, one JSON array a line, in primary-key order
//	blobs/ID                      SQLite's blob files, as stored (sealed)
//	end.json                      every part before it with its size and SHA-256, and the totals
//
// It is made online from one snapshot of the database (see store.Snapshot)
// and streamed: no table is held in memory, nothing is written but the sealed
// file. Age authenticates the stream chunk by chunk and its end; end.json
// also lists every part, so a restore refuses a backup whose parts, their
// order or their content differ from what was written.
//
// A restore loads everything in one transaction, into an empty database,
// and builds the data folder in a temporary folder inside the target: it
// either completes or leaves nothing behind.
//
// What it cannot promise: age does not say who sealed a file, and the
// recovery recipient is public. Someone who can replace a backup can forge
// one that restores — with a key file and an audit chain of their own. Keep
// the audit head a backup prints, away from the server, and check a restore
// with "tipline audit verify --head HEAD".
package backup
