package translit

import (
	"regexp"
	"strings"
)

// latinFolds are applied in order to a normalised Latin token to fold the
// spelling variants that transliteration from Russian, Arabic and other
// scripts produces: kh/h, zh/dzh/dj/j, yu/iu, ya/ia, -iy/-ii/-y, ou/u, ph/f,
// w/v, q/k, ck/k, x/ks, doubled letters.
var latinFolds = strings.NewReplacer(
	"dzh", "j", "dj", "j", "zh", "j", "kh", "h", "tch", "ch", "sch", "sh",
	"ph", "f", "ck", "k", "q", "k", "w", "v", "x", "ks", "ou", "u", "ee", "i", "oo", "u",
	"tz", "ts", "y", "i",
)

// LatinKey returns a phonetic key for a normalised Latin token sequence,
// folding the common transliteration variants so that "Khamatovich" and
// "Hamatovich", "Dzhikhad" and "Jihad", "Byutukaev" and "Biutukaev",
// "Yusuf" and "Iusuf", "Mustafa" and "Moustafa" compare equal. It is
// coarser than the text and is weighted below it by Similarity.
func LatinKey(normalized string) string {
	toks := strings.Fields(normalized)
	for i, t := range toks {
		// After y → i, the endings -iy, -ii and -y of Russian names
		// (Dmitriy, Dmitrii, Dmitry) all end in a doubled or single i,
		// which squeeze makes one.
		toks[i] = squeeze(latinFolds.Replace(t))
	}
	return strings.Join(toks, " ")
}

// squeeze collapses runs of the same letter ("hassan" → "hasan").
func squeeze(s string) string {
	var b strings.Builder
	var prev rune
	for i, r := range s {
		if i > 0 && r == prev {
			continue
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// koreanSyllable matches one romanised Korean syllable in any of the common
// schemes; a token is taken as Korean when it splits into one to three of
// them; a silent h or r before the final is allowed (Park, Hahn). Many
// short Western names also match, which only costs an extra
// comparison key.
var koreanWord = regexp.MustCompile(`^(?:(?:kk|gg|tt|pp|ss|jj|ch|sh|rh|[gkndtrlmbpsjhyw])?(?:wae|yae|yeo|weo|ae|eo|eu|oe|oi|ui|wa|wo|we|wi|ya|ye|yo|yu|ee|oo|[aeiou])(?:[hr]?(?:ng|[kgnltmpb])|[hr])?){1,3}$`)

// IsKoreanRomanization reports whether every token of a normalised Latin
// name could be romanised Korean ("kim jong un", "ri je son",
// "choe ryonghae").
func IsKoreanRomanization(normalized string) bool {
	toks := strings.Fields(normalized)
	for _, t := range toks {
		if !koreanWord.MatchString(t) {
			return false
		}
	}
	return len(toks) > 0
}

// koreanVowelFolds and koreanConsonantFolds merge what Revised
// Romanization, McCune–Reischauer, DPRK usage and popular spellings write
// differently. Vowels first, so that "eo" is read before "o".
var (
	koreanVowelFolds = strings.NewReplacer(
		"yeo", "yo", "eo", "o", "eu", "u", "ee", "i", "oo", "u",
		"wae", "oe", "oi", "oe", "we", "oe", "ae", "e",
	)
	koreanConsonantFolds = strings.NewReplacer(
		"ch", "j", "sh", "s", "kk", "k", "gg", "k", "tt", "t", "pp", "p", "ss", "s", "jj", "j",
		"ng", "ng", "g", "k", "d", "t", "b", "p",
	)
)

// KoreanKey returns a phonetic key for a normalised, romanised Korean name
// that folds the romanisation variants: Jong/Cheong/Chong/Jung/Chung,
// Kim/Gim, Ri/Rhee/Lee/Yi/I, Pak/Park/Bak, Choe/Choi/Chwe, Ryu/Yu/Yoo,
// Han/Hahn, Kwang/Gwang, Chol/Cheol/Chul, Myong/Myeong/Myung, Un/Eun,
// Song/Seong/Sung, Hyon/Hyeon/Hyun, Rim/Lim/Im, Oh/O all reach the same key.
// It is deliberately coarse (ㅓ, ㅗ and ㅜ merge; so do voiced and voiceless
// consonants) and only meant for names IsKoreanRomanization accepts.
func KoreanKey(normalized string) string {
	toks := strings.Fields(normalized)
	for i, t := range toks {
		// Initial ㄹ is written r, l, rh or not at all (리/이 → Ri, Lee, Rhee, Yi, I).
		t = strings.TrimPrefix(t, "rh")
		if len(t) > 1 && (t[0] == 'r' || t[0] == 'l') && strings.ContainsRune("aeiouy", rune(t[1])) {
			t = t[1:]
		}
		if strings.HasPrefix(t, "yi") {
			t = t[1:]
		}
		t = koreanVowelFolds.Replace(t)
		t = strings.ReplaceAll(t, "u", "o")
		t = koreanConsonantFolds.Replace(t)
		t = dropSilent(t)
		toks[i] = t
	}
	return strings.Join(toks, " ")
}

// dropSilent removes an "h" or "r" written after a vowel and before a
// consonant or the end, as English-style spellings add them: Hahn → han,
// Park → pak, Oh → o.
func dropSilent(t string) string {
	b := []byte(t)
	out := b[:0]
	for i := 0; i < len(b); i++ {
		c := b[i]
		if (c == 'h' || c == 'r') && i > 0 && isVowel(b[i-1]) && (i+1 == len(b) || !isVowel(b[i+1])) {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

func isVowel(c byte) bool { return strings.IndexByte("aeiouy", c) >= 0 }
