package intake

import (
	"sync"

	"tipline/internal/seal"
)

// recipientCache keeps offer recipients parsed: a post-quantum public key is
// 1,900 characters of bech32 and a key expansion, and every submission wraps
// its tip key to each analyst of the offer. Parsing is a pure function of
// the text, so a cached value is never stale; the cache only forgets, all at
// once, when it grows past what any installation's analysts need.
type recipientCache struct {
	mu     sync.Mutex
	parsed map[string]seal.Recipient
}

const maxCachedRecipients = 1024

func (c *recipientCache) parse(text string) (seal.Recipient, error) {
	c.mu.Lock()
	r, ok := c.parsed[text]
	c.mu.Unlock()
	if ok {
		return r, nil
	}
	r, err := seal.ParseRecipient(text)
	if err != nil {
		return r, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.parsed == nil || len(c.parsed) >= maxCachedRecipients {
		c.parsed = map[string]seal.Recipient{}
	}
	c.parsed[text] = r
	return r, nil
}
