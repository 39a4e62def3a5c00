// Package audit is Tipline's tamper-evident audit log: who read or changed
// what, and when. Every desk read and write of a report, every login, grant
// and setting change is recorded here; the auditor reads it, and
// "tipline audit verify" proves that nobody has rewritten it.
//
// # Recording
//
// Make one Log per process with New, from the store and the audit key in the
// key file (install.Keys.AuditKey), and call Record for each event:
//
//	log, err := audit.New(st, keys.AuditKey)
//	err = log.Record(ctx, audit.Event{Actor: "user:" + u.ID, Action: "tip.read", TipID: t.ID})
//
// When the event is a write, attach it to the write's context instead, so
// that the two commit in one transaction or not at all:
//
//	ctx, err := log.Attach(ctx, audit.Event{Actor: actor, Action: "tip.status", TipID: id, Detail: "new -> triage"})
//	err = st.SetStatus(ctx, id, tip.StatusTriage)
//
// The store appends an attached entry last in the transaction: on PostgreSQL
// the append holds a lock on the log until commit, so that several app servers extend one chain.
// Appending needs only INSERT and SELECT on audit_log, so on PostgreSQL an
// operator may revoke UPDATE, DELETE and TRUNCATE on it from the app's role.
//
// An Event's Detail is a short note for the auditor ("new -> triage",
// "grant to user:<id>"). It must NEVER hold report content, message text,
// file names or anything a source wrote: the log is stored and backed up in
// the clear. Record refuses details longer than MaxDetail and any control
// character, so a detail cannot forge a line of the verifier's output.
//
// # What is promised
//
// Entries are numbered 1, 2, 3, ... with no gaps. Each entry's hash is
// SHA-256 over an unambiguous encoding of its seq, time, actor, action,
// report id, detail and the previous entry's hash (see Hash), so each entry
// commits to the whole history before it. Each hash is signed with
// HMAC-SHA-256 under the audit key, which lives in the key file and never in
// the database. Someone who can change the database but cannot read the key
// file therefore cannot alter, remove, insert or reorder entries without
// Verify naming the first entry they touched: recomputing the hashes does not
// help them, since they cannot recompute the signatures.
//
// Two things a database-only attacker can still do are caught only by a
// head recorded earlier somewhere the attacker cannot reach:
//
//   - Cut off the newest entries. The remaining chain is intact.
//   - Delete the whole log. An empty log verifies.
//
// Someone who holds both the database and the key file (a full seizure of a
// live server) can rewrite the log and sign it anew; only a head recorded
// elsewhere before exposes that.
//
// # Anchors
//
// An AnchorFile records heads automatically: "tipline serve --audit-anchor
// FILE" appends an Anchor — seq, hash, time, and an HMAC of the three under
// the audit key — at start, every AnchorEvery while the log grows, and at
// shutdown, one line each, fsynced, to a file outside the data folder.
// Before each anchor it checks that the chain still holds the last one and
// that every entry since is intact, and logs an error, appending nothing,
// when not. VerifyAnchors ("tipline audit verify --anchors FILE") checks
// that the chain holds every anchor: an anchored seq that is gone is
// Truncated, one with another hash is Rewritten. The MAC keeps anyone
// without the key file from adding anchors that fit a forged chain; it
// cannot stop lines from being deleted, so keep the file where the server's
// attackers cannot delete from it — another machine, or a file the system
// keeps append-only (chattr +a) — and copy it off the server.
// "tipline audit head" still prints the head, to record by hand.
//
// # Verifying
//
// Verify walks the chain from the first entry and stops at the first bad
// one, reporting its seq and what is wrong with it (a Damage, also returned
// as the error): altered, bad signature, removed, reordered or truncated.
// Head returns the current head to record elsewhere.
package audit
