package listfmt

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"tipline/internal/screen"
)

// clean trims s and folds every run of white space (line breaks inside
// multi-line XML values, no-break spaces, tabs) into one ASCII space.
func clean(s string) string {
	// Fast path: most values are already clean.
	ok := true
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c == '\t' || c == '\n' || c == '\r' || (c == ' ' && prevSpace) {
			ok = false
			break
		}
		prevSpace = c == ' '
	}
	if ok && !prevSpace {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' }

// digits returns only the ASCII digits of s, which is how IMO and MMSI
// numbers are compared whatever prefix or spacing a list uses.
func digits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// callSign upper-cases a call sign and drops spaces and hyphens, which lists
// and AIS feeds insert inconsistently.
func callSign(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == ' ' || r == '-' || unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// scripts are checked in this order; the lists use no others for names.
var scripts = []struct {
	name  string
	table *unicode.RangeTable
}{
	{"Latin", unicode.Latin}, {"Arabic", unicode.Arabic}, {"Cyrillic", unicode.Cyrillic},
	{"Hangul", unicode.Hangul}, {"Han", unicode.Han}, {"Hiragana", unicode.Hiragana},
	{"Katakana", unicode.Katakana}, {"Greek", unicode.Greek}, {"Hebrew", unicode.Hebrew},
	{"Thai", unicode.Thai}, {"Devanagari", unicode.Devanagari}, {"Georgian", unicode.Georgian},
	{"Armenian", unicode.Armenian}, {"Ethiopic", unicode.Ethiopic},
}

// scriptOf returns the script most letters of s belong to, or "" if s has
// no letters from a known script.
func scriptOf(s string) string {
	var count [16]int
	best, bestN := -1, 0
	for _, r := range s {
		if r < utf8.RuneSelf {
			if ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
				count[0]++
			}
			continue
		}
		for i, sc := range scripts {
			if unicode.Is(sc.table, r) {
				count[i]++
				break
			}
		}
	}
	for i := range scripts {
		if count[i] > bestN {
			best, bestN = i, count[i]
		}
	}
	if best < 0 {
		return ""
	}
	return scripts[best].name
}

// addName appends a cleaned name unless it is empty or already present with
// the same quality, so that an alias repeated in two places counts once.
func addName(e *screen.Entry, text string, q screen.NameQuality, former bool) {
	text = clean(text)
	if text == "" {
		return
	}
	for _, n := range e.Names {
		if n.Quality == q && n.Text == text {
			return
		}
	}
	e.Names = append(e.Names, screen.Name{Text: text, Quality: q, Former: former, Script: scriptOf(text)})
}

// addID appends an identifier unless its value is empty or it is already
// present (the OFAC remarks and idList repeat themselves).
func addID(e *screen.Entry, id screen.Identifier) {
	if id.Value == "" {
		return
	}
	for _, x := range e.Identifiers {
		if x.Type == id.Type && x.Value == id.Value && x.Currency == id.Currency {
			return
		}
	}
	e.Identifiers = append(e.Identifiers, id)
}

// addUnique appends cleaned s to list unless it is empty or already there.
func addUnique(list []string, s string) []string {
	s = clean(s)
	if s == "" {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// ofacDate turns OFAC's "21 Jan 1971", "Jan 1971", "1971", "circa 1970",
// "1962 to 1965" and "1979-1982" into the ISO forms described on
// screen.Entry.BirthDates.
func ofacDate(s string) string {
	s = clean(s)
	approx := ""
	if rest, ok := strings.CutPrefix(s, "circa "); ok {
		s, approx = rest, "~"
	}
	if from, to, ok := strings.Cut(s, " to "); ok {
		return ofacDate(from) + "/" + ofacDate(to) + approx
	}
	if len(s) == 9 && s[4] == '-' && digits(s) == s[:4]+s[5:] {
		return s[:4] + "/" + s[5:] + approx // "1979-1982", a range of years
	}
	for _, layout := range []struct{ in, out string }{
		{"02 Jan 2006", "2006-01-02"}, {"2 Jan 2006", "2006-01-02"}, {"Jan 2006", "2006-01"},
		{"2006", "2006"}, {"01/02/2006", "2006-01-02"}, {"2006-01-02", "2006-01-02"},
	} {
		if t, err := time.Parse(layout.in, s); err == nil {
			return t.Format(layout.out) + approx
		}
	}
	if approx != "" {
		return "circa " + s
	}
	return s
}

// hashingReader hashes what is read through it, so that a list's SHA256 is
// that of the bytes actually parsed, without a second pass over the file.
type hashingReader struct {
	r    io.Reader
	h    hash.Hash
	n    int64
	last byte // the last byte read, to tell whether a file ends with a line break
}

func newHashingReader(r io.Reader) *hashingReader {
	return &hashingReader{r: r, h: sha256.New()}
}

func (hr *hashingReader) Read(p []byte) (int, error) {
	n, err := hr.r.Read(p)
	hr.h.Write(p[:n])
	hr.n += int64(n)
	if n > 0 {
		hr.last = p[n-1]
	}
	return n, err
}

// finish reads whatever the parser left (trailing white space after an XML
// root, say) so that the hash covers the whole file, and returns it in hex.
func (hr *hashingReader) finish() (string, error) {
	if _, err := io.Copy(io.Discard, hr); err != nil {
		return "", err
	}
	return hex.EncodeToString(hr.h.Sum(nil)), nil
}
