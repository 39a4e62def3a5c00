package web

import (
	"sort"
	"strings"
)

// Missing lists, per language, the keys English has and it lacks.
func (c Catalogs) Missing() map[string][]string {
	out := map[string][]string{}
	for lang, m := range c {
		for k := range c["en"] {
			if strings.TrimSpace(m[k]) == "" {
				out[lang] = append(out[lang], k)
			}
		}
		sort.Strings(out[lang])
	}
	return out
}

// Names lists the page templates, for the test that every one is used.
func (t *Templates) Names() []string {
	var out []string
	for n := range t.pages {
		out = append(out, n)
	}
	return out
}
