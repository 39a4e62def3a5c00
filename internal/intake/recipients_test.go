package intake

import (
	"testing"

	"tipline/internal/seal"
)

func TestRecipientCacheGivesWhatParsingGivesAndRefusesWhatItRefuses(t *testing.T) {
	key, _ := seal.NewKey()
	text := key.Recipient().String()
	var c recipientCache
	for range 2 { // parsed, then cached
		r, err := c.parse(text)
		if err != nil || r.String() != text || !r.PostQuantum() {
			t.Fatalf("got %q, %v", r.String(), err)
		}
	}
	if _, err := c.parse("age1pq1garbage"); err == nil {
		t.Fatal("a damaged public key was accepted")
	}
	for i := range maxCachedRecipients + 1 {
		other, _ := seal.NewKey()
		if _, err := c.parse(other.Recipient().String()); err != nil {
			t.Fatal(i, err)
		}
	}
	if len(c.parsed) > maxCachedRecipients {
		t.Fatalf("the cache grew to %d", len(c.parsed))
	}
}
