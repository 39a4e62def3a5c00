package translit

import "strings"

// legalForms are words and phrases, in normalised form, that name a kind of
// company rather than a company. Multi-word phrases are matched as token
// sequences.
var legalForms = [][]string{
	{"co"}, {"ltd"}, {"limited"}, {"corporation"}, {"corp"}, {"company"}, {"companies"},
	{"trading"}, {"inc"}, {"incorporated"}, {"llc"}, {"llp"}, {"plc"}, {"lp"},
	{"jsc"}, {"ojsc"}, {"pjsc"}, {"cjsc"}, {"ooo"}, {"zao"}, {"oao"}, {"pao"}, {"ao"},
	{"gmbh"}, {"ag"}, {"sa"}, {"sarl"}, {"srl"}, {"spa"}, {"bv"}, {"nv"},
	{"pte"}, {"pvt"}, {"sdn"}, {"bhd"}, {"fze"}, {"fzco"}, {"fzc"}, {"fzllc"},
	{"joint", "stock", "company"}, {"limited", "liability", "company"},
	{"jointstock", "company"}, {"limitedliability", "company"}, {"jointstockcompany"}, {"limitedliabilitycompany"},
	{"ооо"}, {"оао"}, {"зао"}, {"пао"}, {"ао"}, {"ип"},
	{"общество", "с", "ограниченной", "ответственностью"},
	{"публичное", "акционерное", "общество"}, {"открытое", "акционерное", "общество"},
	{"закрытое", "акционерное", "общество"}, {"акционерное", "общество"},
	{"주식회사"}, {"유한회사"}, {"유한책임회사"}, {"합자회사"}, {"주"},
}

// cjkLegalSuffixes are legal forms written without spaces at the end (or,
// for Korean, the start) of a Chinese or Korean name.
var cjkLegalSuffixes = []string{"股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "公司",
	"주식회사", "유한회사", "회사"}

// dropLegalForms removes legal-form words, keeping the tokens when nothing
// else would be left ("Trading Company" stays a name).
func dropLegalForms(tokens []string) (kept, removed []string) {
	for i := 0; i < len(tokens); {
		if n := legalFormAt(tokens[i:]); n > 0 {
			removed = append(removed, strings.Join(tokens[i:i+n], " "))
			i += n
			continue
		}
		t := tokens[i]
		for _, suf := range cjkLegalSuffixes {
			if len(t) > len(suf) && strings.HasSuffix(t, suf) {
				removed, t = append(removed, suf), strings.TrimSuffix(t, suf)
				break
			}
			if len(t) > len(suf) && strings.HasPrefix(t, suf) && suf[0] >= 0xea {
				removed, t = append(removed, suf), strings.TrimPrefix(t, suf)
				break
			}
		}
		kept = append(kept, t)
		i++
	}
	if len(kept) == 0 {
		return tokens, nil
	}
	return kept, removed
}

func legalFormAt(tokens []string) int {
	best := 0
	for _, lf := range legalForms {
		if len(lf) <= len(tokens) && len(lf) > best && equalTokens(lf, tokens[:len(lf)]) {
			best = len(lf)
		}
	}
	return best
}

// equalTokens compares a legal form with the words of a name, forgiving one
// typo in a word of six letters or more ("comany", "corporaton"): a
// misspelt legal form left in a name costs a whole word of similarity.
func equalTokens(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] && !oneEditApart(a[i], b[i]) {
			return false
		}
	}
	return true
}

// oneEditApart reports whether two ASCII words of at least six letters
// differ by one inserted, deleted, replaced or transposed letter.
func oneEditApart(a, b string) bool {
	if len(a) < 6 || len(b) < 6 || !isASCII(a) || !isASCII(b) {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		if i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] {
			return true // transposition
		}
		return a[i+1:] == b[i+1:]
	}
	return a[i:] == b[i+1:]
}
