package metadata

import (
	"fmt"
	"log/slog"
	"strings"

	"tipline/internal/visible"
)

// Category groups what a metadata item can reveal about the person who made a file.
type Category uint8

const (
	Location  Category = iota + 1 // where: GPS position, altitude, place names
	Device                        // with what: camera or phone make, model, serial number, lens
	Author                        // who: artist, author, copyright holder, owner, editor
	Software                      // with which program: editor, PDF producer, firmware
	Time                          // when: original, digitised or modification date-time
	Thumbnail                     // an embedded preview, which may show the uncropped original
	Other                         // anything else: comments, titles, unknown blocks, trailing data
)

var categoryNames = map[Category]string{
	Location:  "location",
	Device:    "device",
	Author:    "author",
	Software:  "software",
	Time:      "time",
	Thumbnail: "thumbnail",
	Other:     "other",
}

// String returns the lower-case English name of the category, for use as a message key.
func (c Category) String() string {
	if s, ok := categoryNames[c]; ok {
		return s
	}
	return fmt.Sprintf("category(%d)", uint8(c))
}

// Categories lists every category in the order a confirmation page should show them:
// what identifies a source most comes first.
var Categories = []Category{Location, Device, Author, Time, Thumbnail, Software, Other}

// Action says what happened to an item.
type Action uint8

const (
	Removed Action = iota + 1 // not present in the file that is sealed
	Kept                      // present, unchanged, in the file that is sealed
)

// String returns "removed" or "kept".
func (a Action) String() string {
	switch a {
	case Removed:
		return "removed"
	case Kept:
		return "kept"
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// Item is one piece of metadata found in a file.
//
// Value holds what the file said (for example a GPS position or a name). It is content:
// it is sealed with the tip for analysts and shown to the source once, and it must never
// be logged. Note, when set, says why an item was kept or what else the source should know.
type Item struct {
	Category Category
	Label    string // what it is, e.g. "GPS position", "camera model"
	Value    string // what the file said, truncated to MaxValueLen bytes
	Action   Action
	Note     string // optional, e.g. "needed to show colours correctly"
}

// MaxValueLen caps the length of Item.Value: a report must stay small whatever a file holds.
const MaxValueLen = 256

// MaxItems caps the number of items in a report: a hostile file could hold millions of
// comment segments. Items beyond it are counted in Report.Unlisted.
const MaxItems = 200

// Report is what was found in one file and what was done with it. Identical items (the
// same city in IPTC and in XMP, say) are listed once.
type Report struct {
	Type     Type
	Items    []Item
	Unlisted int // items found but not listed, beyond MaxItems

	seen map[Item]bool
}

// String shows counts only, so that a report printed or logged by mistake reveals no value.
func (r Report) String() string {
	return fmt.Sprintf("metadata report for %s: %d item(s), %d removed", r.Type, len(r.Items), r.Count(Removed))
}

// LogValue keeps values out of structured logs: only the type and counts are logged.
func (r Report) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("type", r.Type.Name),
		slog.Int("items", len(r.Items)),
		slog.Int("removed", r.Count(Removed)),
	)
}

// String omits the value, so that an item printed or logged by mistake reveals nothing.
func (it Item) String() string {
	return fmt.Sprintf("%s: %s (%s)", it.Category, it.Label, it.Action)
}

// LogValue omits the value from structured logs.
func (it Item) LogValue() slog.Value { return slog.StringValue(it.String()) }

// Count returns how many items had the action a.
func (r Report) Count(a Action) int {
	n := 0
	for _, it := range r.Items {
		if it.Action == a {
			n++
		}
	}
	return n
}

// Group is the items of one category, as Summary returns them.
type Group struct {
	Category Category
	Items    []Item
}

// Summary groups the items by category, in the order of Categories, leaving out
// empty categories. Items keep the order in which they were found.
func (r Report) Summary() []Group {
	var groups []Group
	for _, c := range Categories {
		var g Group
		for _, it := range r.Items {
			if it.Category == c {
				g.Items = append(g.Items, it)
			}
		}
		if len(g.Items) > 0 {
			g.Category = c
			groups = append(groups, g)
		}
	}
	return groups
}

// add appends an item, cleaning its value so that the report is safe to render and small.
func (r *Report) add(c Category, label, value string, a Action) {
	r.addNote(c, label, value, a, "")
}

// addNote is add with a note.
func (r *Report) addNote(c Category, label, value string, a Action, note string) {
	it := Item{Category: c, Label: cleanValue(label), Value: cleanValue(value), Action: a, Note: note}
	if r.seen[it] {
		return
	}
	if len(r.Items) >= MaxItems {
		r.Unlisted++
		return
	}
	if r.seen == nil {
		r.seen = map[Item]bool{}
	}
	r.seen[it] = true
	r.Items = append(r.Items, it)
}

// cleanValue makes a value printable: valid UTF-8, no control characters, the
// characters that would hide or reorder it (bidirectional overrides, zero-width
// characters) written as visible escapes, trimmed, and at most MaxValueLen
// bytes (cut on a rune boundary, with an ellipsis).
func cleanValue(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(visible.Escape(s))
	if len(s) <= MaxValueLen {
		return s
	}
	cut := MaxValueLen - len("…")
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
