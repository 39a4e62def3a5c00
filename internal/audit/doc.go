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
// Two things a database-only attacker can still do are caught only with the
// operator's help:
//
//   - Cut off the newest entries. The remaining chain is intact, so Verify
//     can tell only if it is given a head recorded earlier somewhere the
//     attacker cannot reach: run "tipline audit head" regularly (say from
//     cron) and keep its output off the server; "tipline audit verify
//     --head HASH" then fails if the chain no longer reaches it.
//   - Delete the whole log. An empty log verifies, for the same reason; a
//     recorded head catches this too.
//
// Someone who holds both the database and the key file (a full seizure of a
// live server) can rewrite the log; only a head recorded elsewhere exposes
// that.
//
// # Verifying
//
// Verify walks the chain from the first entry and stops at the first bad
// one, reporting its seq and what is wrong with it (a Damage, also returned
// as the error): altered, bad signature, removed, reordered or truncated.
// Head returns the current head to record elsewhere.
package audit
