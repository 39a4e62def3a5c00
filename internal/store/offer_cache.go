package store

import (
	"maps"
	"slices"
	"sync"
	"time"

	"tipline/internal/tip"
)

// offerCacheTTL bounds how stale the source site's view of offers and their
// recipients may be should a change made outside this process (another app
// server on the same database, `tipline user add`) not be heard of: changes
// made through any Store clear every server's cache at once (see changed).
// CommitTips leaves out any wrap to a holder who stopped receiving the offer
// in the meantime, so a revocation takes effect for every tip committed after
// it either way.
const offerCacheTTL = 30 * time.Second

// offerCache keeps what every submission reads before anything else — the
// offer and who its reports are wrapped to — off the database: on SQLite the
// two small queries cost as much CPU as a post-quantum encapsulation.
type offerCache struct {
	mu         sync.Mutex
	generation uint64 // bumped by clear, so a fill that raced a change is not kept
	byID       map[string]cachedOffer
	defaultID  string // the default offer's id, once read: its entry in byID says how fresh
	recipients map[string]cachedHolders
	announce   func() // tells every server's caches of the change, see Store.announceChange
}

type cachedOffer struct {
	offer tip.Offer
	at    time.Time
}

type cachedHolders struct {
	holders []Holder
	at      time.Time
}

// clear forgets everything, here and on every other server; every store
// method that changes offers, offer recipients, users' public keys or whether
// a user is enabled calls it after its change.
func (c *offerCache) clear() {
	c.forget()
	if c.announce != nil {
		c.announce()
	}
}

// forget forgets everything this process holds.
func (c *offerCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation++
	c.byID, c.recipients, c.defaultID = nil, nil, ""
}

func (c *offerCache) offer(id string, now time.Time) (tip.Offer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byID[id]
	if !ok || now.Sub(e.at) > offerCacheTTL {
		return tip.Offer{}, false
	}
	return cloneOffer(e.offer), true
}

func (c *offerCache) defaultOffer(now time.Time) (tip.Offer, bool) {
	c.mu.Lock()
	id := c.defaultID
	c.mu.Unlock()
	if id == "" {
		return tip.Offer{}, false
	}
	return c.offer(id, now)
}

// put keeps o if nothing changed since gen was read.
func (c *offerCache) put(gen uint64, o tip.Offer, isDefault bool, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.generation {
		return
	}
	if c.byID == nil {
		c.byID = map[string]cachedOffer{}
	}
	c.byID[o.ID] = cachedOffer{cloneOffer(o), now}
	if isDefault {
		c.defaultID = o.ID
	}
}

func (c *offerCache) holders(offerID string, now time.Time) ([]Holder, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.recipients[offerID]
	if !ok || now.Sub(e.at) > offerCacheTTL {
		return nil, false
	}
	return slices.Clone(e.holders), true
}

func (c *offerCache) putHolders(gen uint64, offerID string, hs []Holder, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.generation {
		return
	}
	if c.recipients == nil {
		c.recipients = map[string]cachedHolders{}
	}
	c.recipients[offerID] = cachedHolders{slices.Clone(hs), now}
}

func (c *offerCache) gen() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.generation
}

// cloneOffer copies an offer's maps and slices, so that no caller can change
// the cached one.
func cloneOffer(o tip.Offer) tip.Offer {
	o.Title, o.Description = maps.Clone(o.Title), maps.Clone(o.Description)
	o.Categories = slices.Clone(o.Categories)
	return o
}
