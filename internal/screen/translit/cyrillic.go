package translit

import "strings"

// bgnPCGN is the BGN/PCGN romanisation of Russian (1947), simplified: е is
// always "e" (BGN writes "ye" at the start of a word and after vowels, a
// distinction the lists do not keep consistently), ё is "e" because
// Normalize folds it into е, and the hard and soft signs are dropped.
// Ukrainian and Belarusian letters are added.
var bgnPCGN = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu",
	'я': "ya", 'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g", 'ў': "u",
}

// simpleCyrillic is the other common way Russian names reach Latin script
// (passports since 2013, French and German habits, and English spellings):
// х → h, ж → j, ю → iu, я → ia, й → i, щ → sch.
var simpleCyrillic = map[rune]string{
	'ж': "j", 'й': "i", 'х': "h", 'щ': "sch", 'ю': "iu", 'я': "ia", 'ц': "tz",
}

func isCyrillic(r rune) bool { return r >= 0x400 && r <= 0x4ff }

// HasCyrillic reports whether s contains a Cyrillic letter.
func HasCyrillic(s string) bool { return strings.IndexFunc(s, isCyrillic) >= 0 }

// RomanizeCyrillic transliterates lower-case Cyrillic in s (as Normalize
// leaves it) with BGN/PCGN, or with the simpler variant spellings when
// simple is true. Other characters pass through. "дж" is written "dzh"
// (BGN) or "j" (simple), as in Джихад → dzhikhad / jihad.
func RomanizeCyrillic(s string, simple bool) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if simple && r == 'д' && i+1 < len(rs) && rs[i+1] == 'ж' {
			b.WriteByte('j')
			i++
			continue
		}
		if simple {
			if v, ok := simpleCyrillic[r]; ok {
				b.WriteString(v)
				continue
			}
		}
		if v, ok := bgnPCGN[r]; ok {
			b.WriteString(v)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
