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

func equalTokens(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
