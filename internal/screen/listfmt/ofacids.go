package listfmt

import (
	"strings"
	"unicode/utf8"

	"tipline/internal/screen"
	"tipline/internal/screen/ident"
)

// OFAC writes the same facts two ways: as "Type value" clauses in the
// Remarks column of sdn.csv ("Vessel Registration Identification IMO
// 9187629; MMSI 572469210; ...") and as <idType>/<idNumber> pairs in
// sdn.xml. Both go through ofacFact, so the two formats give the same entry.

// ofacFacts lists the clause types we map, longest first where one is the
// prefix of another. Anything else stays in Remarks only.
var ofacFacts = []struct {
	prefix string
	apply  func(e *screen.Entry, value, raw string)
}{
	{"Vessel Registration Identification", vesselRegistration},
	{"MMSI", func(e *screen.Entry, v, raw string) {
		addID(e, screen.Identifier{Type: screen.IDMMSI, Value: digits(v), Raw: raw})
	}},
	{"Digital Currency Address - ", func(e *screen.Entry, v, raw string) {
		// The currency code is part of the type: "Digital Currency Address - XBT".
		cur, addr, _ := strings.Cut(clean(v), " ")
		addr, _, _ = strings.Cut(addr, " ")
		if cur != "" {
			addID(e, screen.Identifier{Type: screen.IDWallet, Currency: cur, Value: addr, Raw: raw})
		}
	}},
	{"Passport", func(e *screen.Entry, v, raw string) {
		addID(e, screen.Identifier{Type: screen.IDPassport, Value: documentNumber(v), Raw: raw})
	}},
	{"National ID No.", func(e *screen.Entry, v, raw string) {
		addID(e, screen.Identifier{Type: screen.IDNationalID, Value: documentNumber(v), Raw: raw})
	}},
	{"Identification Number", companyOrOther},
	{"Company Number", companyOrOther},
	{"Other Vessel Call Sign", func(e *screen.Entry, v, raw string) {
		addID(e, screen.Identifier{Type: screen.IDCallSign, Value: callSign(v), Raw: raw})
	}},
	{"Aircraft Tail Number", func(e *screen.Entry, v, raw string) {
		addID(e, screen.Identifier{Type: screen.IDOther, Value: documentNumber(v), Raw: raw})
	}},
	{"Former Vessel Flag", addFlag},
	{"Other Vessel Flag", addFlag},
	{"Vessel Type", func(e *screen.Entry, v, _ string) {
		if e.Vessel != nil && e.Vessel.Type == "" {
			e.Vessel.Type = clean(v)
		}
	}},
	{"Nationality of Registration", addNationality},
	{"nationality", addNationality},
	{"Nationality", addNationality},
	{"citizen", addNationality},
	{"DOB", func(e *screen.Entry, v, _ string) {
		e.BirthDates = addUnique(e.BirthDates, ofacDate(v))
	}},
}

// ofacFact applies one fact of type typ; it reports whether typ is known.
func ofacFact(e *screen.Entry, typ, value, raw string) bool {
	for _, f := range ofacFacts {
		if typ == f.prefix || (strings.HasSuffix(f.prefix, " ") && strings.HasPrefix(typ, f.prefix)) {
			if strings.HasSuffix(f.prefix, " ") {
				// The XML idType carries the currency; put it back in front.
				value = strings.TrimPrefix(typ, f.prefix) + " " + value
			}
			f.apply(e, value, clean(raw))
			return true
		}
	}
	return false
}

// ofacClause applies one "alt. Type value" clause of the CSV Remarks.
func ofacClause(e *screen.Entry, clause string) {
	clause = clean(clause)
	body := strings.TrimPrefix(clause, "alt. ")
	for _, prefix := range []string{"a.k.a. ", "f.k.a. ", "n.k.a. "} {
		if name, ok := strings.CutPrefix(body, prefix); ok {
			// Names in Remarks are OFAC's weak aliases; strong ones are in
			// alt.csv. An unterminated quote means the column was cut.
			if len(name) >= 2 && name[0] == '\'' && name[len(name)-1] == '\'' {
				addName(e, name[1:len(name)-1], screen.NameWeakAlias, prefix == "f.k.a. ")
			}
			return
		}
	}
	for _, f := range ofacFacts {
		if rest, ok := strings.CutPrefix(body, f.prefix); ok && (strings.HasSuffix(f.prefix, " ") || rest == "" || rest[0] == ' ') {
			f.apply(e, rest, clause)
			return
		}
	}
}

// remarksLimit is the width of sdn.csv's Remarks column; longer remarks
// continue in sdn_comments.csv.
const remarksLimit = 1000

// applyOFACRemarks extracts identifiers, aliases, nationalities and dates of
// birth from a Remarks text (already joined with its sdn_comments.csv
// continuation, if any).
func applyOFACRemarks(e *screen.Entry, remarks string) {
	complete := strings.HasSuffix(remarks, ".")
	remarks = strings.TrimSuffix(remarks, ".")
	clauses := strings.Split(remarks, "; ")
	if !complete && utf8.RuneCountInString(remarks) >= remarksLimit {
		// sdn.csv without its sdn_comments.csv: the last clause was cut at
		// the column width and may hold half a wallet address or name, which
		// would be worse than none.
		clauses = clauses[:len(clauses)-1]
	}
	for _, c := range clauses {
		ofacClause(e, c)
	}
}

// vesselRegistration maps "IMO 9187629", and a bare seven-digit number, to
// a ship IMO number. A few entries give a national registry number instead
// ("15411 (Malta)", "RS 150443 (Russia)"), which is kept as IDOther rather
// than passed off as an IMO number.
func vesselRegistration(e *screen.Entry, v, raw string) {
	v = documentNumber(v)
	rest, isIMO := strings.CutPrefix(v, "IMO ")
	if isIMO || (len(v) == 7 && digits(v) == v) {
		addID(e, screen.Identifier{Type: screen.IDIMO, Value: digits(rest), Raw: raw})
		return
	}
	addID(e, screen.Identifier{Type: screen.IDOther, Value: v, Raw: raw})
}

// companyOrOther reads an OFAC company number: an IMO company number when it is
// one (seven digits after "IMO"), any other number as it is written.
func companyOrOther(e *screen.Entry, v, raw string) {
	v = clean(v)
	if rest, ok := strings.CutPrefix(v, "IMO "); ok {
		if n, err := ident.ParseCompanyIMO(rest); err == nil {
			addID(e, screen.Identifier{Type: screen.IDCompanyIMO, Value: string(n), Raw: raw})
			return
		}
	}
	addID(e, screen.Identifier{Type: screen.IDOther, Value: documentNumber(v), Raw: raw})
}

func addFlag(e *screen.Entry, v, _ string) {
	if e.Vessel != nil {
		e.Vessel.Flags = addUnique(e.Vessel.Flags, v)
	}
}

func addNationality(e *screen.Entry, v, _ string) {
	e.Nationalities = addUnique(e.Nationalities, v)
}

// documentNumber keeps the number of "T14553558 (Iran) issued 28 Oct 2008
// expires 29 Oct 2013": everything before the country or the dates.
func documentNumber(v string) string {
	v = clean(v)
	for _, sep := range []string{" (", " issued ", " expires "} {
		if i := strings.Index(v, sep); i >= 0 {
			v = v[:i]
		}
	}
	return v
}
