// Package screen is where Tipline checks the ships, companies, people and
// wallets named in a report against the sanctions lists.
//
// This file holds the one normalised model that every official list is
// mapped to. The parsers in package listfmt turn a UN consolidated XML file,
// an OFAC SDN CSV set or sdnList XML file, or the UN 1718 Committee's
// designated-vessels document into a *List; everything downstream (the
// identifier index, the name matcher, `tipline lists`) reads only this model
// and never the original formats.
//
// # Using a list
//
//	list, err := listfmt.ParseFile("consolidated.xml")
//	if err != nil {
//		// The file was refused: malformed, truncated or implausible.
//		// Keep using the version already in force.
//	}
//	for _, e := range list.Entries {
//		e.Key()                              // "un:KPe.020"
//		e.PrimaryName()                      // "OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)"
//		e.IdentifiersOf(screen.IDCompanyIMO) // [{company-imo 1790183 ...}]
//	}
//	list.Counts()[screen.KindVessel] // how many ships the list names
//
// # What the model promises
//
//   - An Entry is one listing: a UN reference number (e.g. "KPe.020", trailing
//     spaces trimmed), an OFAC ent_num, or, for the vessels list, the ship's
//     IMO number. The same ship or company listed by two sources is two
//     entries; linking them is the matcher's job.
//   - Values are kept as the list writes them, only lightly normalised:
//     surrounding and repeated white space (line breaks included) folded, IMO and MMSI numbers reduced to
//     their digits, call signs upper-cased without spaces. Check digits,
//     wallet checksums and transliteration are deliberately not applied here
//     (see packages ident and translit): a list's own typo must survive so
//     that it can be reported, not silently repaired or dropped. Raw keeps
//     the text an identifier was read from.
//   - A wallet address is an Identifier of a person or organisation, never an
//     entry of its own; Counts reports the number of addresses under
//     KindWallet.
//   - A List is a value: parsers return a fresh one and nothing here mutates
//     it, so a version can be shared between goroutines once built.
package screen

import (
	"errors"
	"fmt"
	"time"
)

// Source names the authority and publication a list comes from.
type Source string

const (
	SourceUN        Source = "un"         // UN Security Council Consolidated List
	SourceOFAC      Source = "ofac"       // US Treasury OFAC SDN (and consolidated non-SDN) list
	SourceUNVessels Source = "un-vessels" // UN 1718 Committee Designated Vessels List
)

// Kind is what a listed party is.
type Kind string

const (
	KindPerson       Kind = "person"
	KindOrganization Kind = "organization"
	KindVessel       Kind = "vessel"
	// KindWallet is never the kind of an entry: the lists name wallets as
	// identifiers of a person or organisation. It exists for hits and counts.
	KindWallet Kind = "wallet"
)

// NameQuality says how much weight the list itself puts on a name.
type NameQuality string

const (
	NamePrimary NameQuality = "primary" // the name the entry is listed under
	// NameAlias is a UN "Good" alias, a UN entity's a.k.a., an OFAC strong
	// a.k.a., or a vessel's other name.
	NameAlias NameQuality = "alias"
	// NameWeakAlias is a UN "Low" alias or an OFAC weak a.k.a.: the list
	// warns that it is too common or too vague to block on by itself.
	NameWeakAlias NameQuality = "weak-alias"
	// NameOriginalScript is the primary name as the list writes it in its
	// own script (Arabic, Hangul, Han, Cyrillic, ...).
	NameOriginalScript NameQuality = "original-script"
)

// Name is one of the names an entry is listed under.
type Name struct {
	Text    string
	Quality NameQuality
	// Former marks a name the list gives as no longer used (f.k.a.).
	Former bool `json:",omitempty"`
	// Script is the Unicode script most of the letters belong to ("Latin",
	// "Arabic", "Hangul", "Han", "Cyrillic", ...), so that the matcher knows
	// which transliteration applies without looking again.
	Script string
}

// IDType is the kind of an identifier.
type IDType string

const (
	IDIMO IDType = "imo" // a ship's IMO number (seven digits, check digit last)
	// IDCompanyIMO is the IMO unique company and registered-owner number:
	// also seven digits but a different scheme with no ship check digit.
	IDCompanyIMO IDType = "company-imo"
	IDMMSI       IDType = "mmsi"
	IDCallSign   IDType = "call-sign"
	IDPassport   IDType = "passport"
	IDNationalID IDType = "national-id"
	IDWallet     IDType = "wallet"
	IDOther      IDType = "other"
)

// Identifier is a number or address that identifies a listed party exactly.
type Identifier struct {
	Type IDType
	// Value is lightly normalised: trimmed; IMO and MMSI digits only; call
	// sign upper-case without spaces; wallet address exactly as written,
	// since case can carry a checksum.
	Value string
	// Currency is a wallet's currency code as the list writes it (XBT, ETH,
	// USDT, TRX, ...); empty for other types.
	Currency string `json:",omitempty"`
	// Raw is the text the identifier was read from, for display and audit.
	Raw string
}

// Vessel holds what the lists record about a ship beyond its names and
// identifiers. All values are as written.
type Vessel struct {
	Type string `json:",omitempty"`
	// Flags are flag states, current first then any former ones.
	Flags        []string `json:",omitempty"`
	Owner        string   `json:",omitempty"`
	Tonnage      string   `json:",omitempty"`
	GrossTonnage string   `json:",omitempty"`
}

// Entry is one listing of one party by one source.
type Entry struct {
	Source Source
	// ID is the listing's reference in its source: UN reference number,
	// OFAC ent_num, or IMO digits for the UN vessels list.
	ID    string
	Kind  Kind
	Names []Name // the first is the NamePrimary name
	// Identifiers in the order the list gives them.
	Identifiers []Identifier
	// Programs are the sanctions regimes: UN_LIST_TYPE ("DPRK") for the UN,
	// programme tags ("DPRK3", "NPWMD") for OFAC.
	Programs      []string
	Nationalities []string
	// BirthDates use ISO 8601 where the list allows: "1964-03-12", "1964-03",
	// "1964"; "1960/1965" for a range and a trailing "~" for approximate;
	// anything else as written.
	BirthDates []string
	// Countries are the countries of the entry's addresses, as written:
	// where an organisation sits, where a person lives or was seen.
	Countries []string `json:",omitempty"`
	ListedOn  string   // ISO date when the list gives one
	Vessel    *Vessel  `json:",omitempty"` // nil unless Kind is KindVessel
	Remarks   string   // free text as written, white space folded
}

// PrimaryName returns the name the entry is listed under.
func (e *Entry) PrimaryName() string {
	if len(e.Names) == 0 {
		return ""
	}
	return e.Names[0].Text
}

// IdentifiersOf returns the entry's identifiers of type t.
func (e *Entry) IdentifiersOf(t IDType) []Identifier {
	var out []Identifier
	for _, id := range e.Identifiers {
		if id.Type == t {
			out = append(out, id)
		}
	}
	return out
}

// Key returns "source:id", the form used to link entries across lists.
func (e *Entry) Key() string { return string(e.Source) + ":" + e.ID }

// Validate checks the invariants every parser must uphold, so that a bug or
// an odd input is caught before a list version is put in force.
func (e *Entry) Validate() error {
	switch {
	case e.ID == "":
		return errors.New("entry has no id")
	case e.Kind != KindPerson && e.Kind != KindOrganization && e.Kind != KindVessel:
		return fmt.Errorf("entry %s: unknown kind %q", e.ID, e.Kind)
	case len(e.Names) == 0 || e.Names[0].Quality != NamePrimary || e.Names[0].Text == "":
		return fmt.Errorf("entry %s: first name is not a non-empty primary name", e.ID)
	case (e.Vessel != nil) != (e.Kind == KindVessel):
		return fmt.Errorf("entry %s: vessel details do not match kind %q", e.ID, e.Kind)
	}
	for _, n := range e.Names[1:] {
		if n.Text == "" || n.Quality == NamePrimary {
			return fmt.Errorf("entry %s: empty or second primary name", e.ID)
		}
	}
	for _, id := range e.Identifiers {
		if id.Value == "" {
			return fmt.Errorf("entry %s: empty %s identifier", e.ID, id.Type)
		}
		if (id.Type == IDWallet) != (id.Currency != "") {
			return fmt.Errorf("entry %s: identifier %q: currency only and always on wallets", e.ID, id.Value)
		}
	}
	return nil
}

// List is one version of one source's list.
type List struct {
	Source Source
	// Published is the date the source gives for this version; zero when the
	// format carries none (the OFAC CSV set), in which case the importer
	// records when it was downloaded instead.
	Published time.Time
	// SHA256 is the hex SHA-256 of the file read; for a set of files, of
	// the lines "<hex sha256>  <name>\n" for each file in a fixed order.
	SHA256  string
	Entries []Entry
}

// Counts returns the number of entries of each kind and, under KindWallet,
// the number of wallet addresses.
func (l *List) Counts() map[Kind]int {
	c := map[Kind]int{KindPerson: 0, KindOrganization: 0, KindVessel: 0, KindWallet: 0}
	for i := range l.Entries {
		e := &l.Entries[i]
		c[e.Kind]++
		for _, id := range e.Identifiers {
			if id.Type == IDWallet {
				c[KindWallet]++
			}
		}
	}
	return c
}

// Validate checks every entry and that ids are unique within the list.
func (l *List) Validate() error {
	switch l.Source {
	case SourceUN, SourceOFAC, SourceUNVessels:
	default:
		return fmt.Errorf("unknown source %q", l.Source)
	}
	seen := make(map[string]bool, len(l.Entries))
	for i := range l.Entries {
		e := &l.Entries[i]
		if e.Source != l.Source {
			return fmt.Errorf("entry %s: source %q in a %q list", e.ID, e.Source, l.Source)
		}
		if err := e.Validate(); err != nil {
			return err
		}
		if seen[e.ID] {
			return fmt.Errorf("entry id %s appears twice", e.ID)
		}
		seen[e.ID] = true
	}
	return nil
}
