package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"

	"tipline/internal/store"
)

// Genesis is the prev_hash of the first entry and the head of an empty log.
var Genesis = strings.Repeat("0", 2*sha256.Size)

// Domain-separation prefixes, so that a hash or signature made for one
// purpose can never be taken for the other, or for a future version.
const (
	hashPrefix = "tipline audit entry v1\n"
	macPrefix  = "tipline audit mac v1\n"
)

// Hash returns the hash an entry must carry: hex SHA-256 over
//
//	"tipline audit entry v1\n"
//	seq and at, 8 bytes each, big-endian (at as two's complement)
//	actor and action, each a 4-byte big-endian length and the bytes
//	tip_id: the byte 0 when absent, else 1, a length and the bytes
//	detail and prev_hash, each a length and the bytes.
//
// Every field has a fixed size or a length in front, so two different
// entries never encode alike (as they could if fields were joined with a
// separator that a detail may contain). It is exported so that other tools
// can check a chain independently of this package.
func Hash(e store.AuditEntry) string {
	h := sha256.New()
	var n [8]byte
	h.Write([]byte(hashPrefix))
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(e.At))
	h.Write(n[:])
	writeString(h, e.Actor)
	writeString(h, e.Action)
	if e.TipID == "" {
		h.Write([]byte{0})
	} else {
		h.Write([]byte{1})
		writeString(h, e.TipID)
	}
	writeString(h, e.Detail)
	writeString(h, e.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}

func writeString(h interface{ Write([]byte) (int, error) }, s string) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(s)))
	h.Write(n[:])
	h.Write([]byte(s))
}

// sign returns the entry's signature: hex HMAC-SHA-256 of its hash under the
// audit key. The hash already commits to the entry and everything before it.
func sign(key []byte, hash string) string {
	return hex.EncodeToString(mac(key, hash))
}

func mac(key []byte, hash string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(macPrefix))
	m.Write([]byte(hash))
	return m.Sum(nil)
}

// signedBy reports whether sig is the signature of hash under key, in
// constant time.
func signedBy(key []byte, hash, sig string) bool {
	got, err := hex.DecodeString(sig)
	return err == nil && hmac.Equal(got, mac(key, hash))
}
