// Package auth checks who a desk user is: a password, a TOTP second factor,
// and login throttling. It is a pure library: no HTTP, no database.
//
// # Passwords
//
// Make one [Hasher] per process with [NewHasher]([DefaultParams], n). At most n
// argon2id derivations run at once (memory: n × 64 MiB with the defaults); a
// flood of logins queues for a slot instead of exhausting memory, and a
// request whose context ends while queued gives up.
//
// Before setting a password, call [CheckPolicy]; its errors tell the user what
// to do. [Hasher.NewPassword] returns the record to store and a 32-byte
// wrapping secret; [Hasher.Check] returns the same wrapping secret when the
// password is right. Use the secret as a symmetric key that wraps the user's
// private key (DESIGN.md, key hierarchy). It is never stored: without the
// password, a seized database holds only the record, and the record does not
// open the key.
//
// One argon2id derivation of 64 bytes serves both purposes, so a login costs
// one memory-hard hash, not two. The first 32 bytes are the verifier kept in
// the record; the last 32 bytes are the wrapping secret. The two halves are
// the two halves of a single BLAKE2b-512 output (argon2's final hash for a
// 64-byte tag), and knowing one half of such an output tells nothing about
// the other. So the verifier gives an attacker nothing but a way to test
// password guesses offline, at the cost of one argon2id per guess — exactly
// what any stored password hash gives.
//
// Records are text, `$argon2id$v=19$m=65536,t=3,p=2$<salt>$<verifier>`, so that
// parameters can change later: [Hasher.NeedsRehash] says when a record was made
// with other parameters. (The form is PHC's, but the verifier is half of a
// 64-byte tag, not a 32-byte argon2id hash: other tools cannot check these
// records, and need not.) Since the wrapping secret depends on them too, rehash
// only after a successful login, and re-wrap the private key with the new
// secret in the same transaction.
//
// Passwords are compared after Unicode NFKC normalisation, so the same
// password typed on another keyboard or system (composed or decomposed Hangul,
// full-width Latin letters) still matches.
//
// # Second factor
//
// [NewTOTP] makes a secret and the otpauth:// URI an authenticator app scans;
// [QRCodePNG] renders that URI for the enrolment page, served from our own
// server. [CheckTOTP] accepts the current 30-second step and one step either
// side for clock skew, and refuses any step at or before the last one the
// account used, so a code is never accepted twice: store the step it returns.
//
// # Throttling
//
// A [Throttle] slows password guessing without ever locking anyone out. Call
// [Throttle.Wait] before checking credentials, then [Throttle.Failed] or
// [Throttle.Succeeded]. Repeated failures on an account space its attempts
// further apart (doubling from 250 ms to at most 10 s, forgotten after 15
// minutes), and many failures overall make every attempt wait a little. A
// wait is always bounded, and a correct login after wrong ones succeeds. Only
// the account name is used: nothing about the client, which the desk never
// records. [NewSharedThrottle] keeps the failures in the database, so that
// several servers on it count them together; [NewThrottle] keeps them in
// this process's memory.
package auth
