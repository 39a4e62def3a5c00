package tip

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"
)

// Tip is what is stored in the clear about a report: enough for the desk to
// sort and filter, nothing a source wrote.
type Tip struct {
	ID          string
	OfferID     string
	Category    Category
	Status      Status
	WantsReward bool
	HasHits     bool
	ReceivedAt  time.Time // coarse: see CoarseTime

	// What the desk tracks in the clear.
	Assignee  string // user id, or ""
	Priority  int
	LegalHold bool
	ClosedAt  time.Time
	Labels    []string
}

// Author says who wrote a message.
type Author string

const (
	AuthorSource Author = "source"
	AuthorDesk   Author = "desk"
)

// Message is one message of the conversation between a source and the desk;
// its body and files are sealed in the blob BodyBlob.
type Message struct {
	ID        string
	TipID     string
	Author    Author
	Seq       int
	CreatedAt time.Time
	BodyBlob  string
}

// MessageBody is the sealed part of a message.
type MessageBody struct {
	Text  string `json:"text"`
	Files []File `json:"files,omitempty"`
}

// NewID returns a random 128-bit id in lower-case base32. Ids carry no order:
// nothing in them tells a source how many reports came before theirs.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("tip: crypto/rand failed: " + err.Error())
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// CoarseTime rounds t down to the hour, so that stored times do not order
// reports received close together.
func CoarseTime(t time.Time) time.Time { return t.UTC().Truncate(time.Hour) }
