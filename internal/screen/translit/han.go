package translit

import (
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

//go:generate go run gen_hanfold.go

var (
	hanFoldOnce sync.Once
	hanFoldMap  map[rune]rune
)

func hanFold() map[rune]rune {
	hanFoldOnce.Do(func() {
		rs := []rune(hanFoldPairs)
		hanFoldMap = make(map[rune]rune, len(rs)/2)
		for i := 0; i+1 < len(rs); i += 2 {
			hanFoldMap[rs[i]] = rs[i+1]
		}
	})
	return hanFoldMap
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// HasHan reports whether s contains a Han (Chinese) character.
func HasHan(s string) bool { return strings.IndexFunc(s, isHan) >= 0 }

// FoldHan maps traditional and variant Han characters to their simplified
// forms, character by character, so that 丹東鴻祥 and 丹东鸿祥 compare equal.
// The table comes from OpenCC's character dictionaries (see
// gen_hanfold.go). Character-level folding ignores the few cases where
// the right simplified form depends on the word; for comparison that is
// enough, since both sides are folded the same way.
func FoldHan(s string) string {
	m := hanFold()
	return strings.Map(func(r rune) rune {
		if v, ok := m[r]; ok {
			return v
		}
		return r
	}, s)
}

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal // no tone marks
	// Keep characters with no reading as they are rather than dropping them.
	a.Fallback = func(r rune, _ pinyin.Args) []string { return []string{string(r)} }
	return a
}()

// RomanizeHan writes each Han character of s as toneless Hanyu Pinyin,
// one syllable per word ("丹东" → "dan dong"), using each character's
// most common reading (github.com/mozillazg/go-pinyin); other characters
// pass through. A heteronym may get the wrong reading in a name; the fuzzy
// comparison tolerates one wrong syllable.
func RomanizeHan(s string) string {
	var b strings.Builder
	run := []rune{}
	flush := func() {
		if len(run) == 0 {
			return
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.Join(pinyin.LazyPinyin(string(run), pinyinArgs), " "))
		b.WriteByte(' ')
		run = run[:0]
	}
	for _, r := range s {
		if isHan(r) {
			run = append(run, r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return strings.Join(strings.Fields(b.String()), " ")
}
