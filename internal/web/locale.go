package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"strings"
)

//go:embed locales/*.json
var localeFS embed.FS

// Language is one language the site speaks.
type Language struct {
	Code   string // path prefix and catalog name: en, ko, zh, ru
	HTML   string // the lang attribute: zh-Hans, ...
	Native string // the language's own name, for the switcher
	Prefix string // URL prefix: "" for English, "/ko" ...
}

// Languages are the languages of the source site, English first.
var Languages = []Language{
	{"en", "en", "English", ""},
	{"ko", "ko", "한국어", "/ko"},
	{"zh", "zh-Hans", "简体中文", "/zh"},
	{"ru", "ru", "Русский", "/ru"},
}

// LanguageByCode returns a language, or English.
func LanguageByCode(code string) Language {
	for _, l := range Languages {
		if l.Code == code {
			return l
		}
	}
	return Languages[0]
}

// Catalogs maps language code to message key to text.
type Catalogs map[string]map[string]string

// LoadCatalogs reads the embedded catalogs.
func LoadCatalogs() (Catalogs, error) {
	c := Catalogs{}
	for _, l := range Languages {
		b, err := localeFS.ReadFile("locales/" + l.Code + ".json")
		if err != nil {
			return nil, fmt.Errorf("missing catalog for %s: %w", l.Code, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("catalog %s: %w", l.Code, err)
		}
		c[l.Code] = m
	}
	return c, nil
}

// Localizer gives the texts of one language to templates: {{.L.T "key"}}.
type Localizer struct {
	Lang     Language
	catalogs Catalogs
}

// For returns the localizer of a language.
func (c Catalogs) For(code string) Localizer {
	return Localizer{Lang: LanguageByCode(code), catalogs: c}
}

// T returns the text of key, with {0}, {1}... replaced by args. A key missing
// in the language falls back to English, then to the key itself, so a gap
// shows rather than breaks a page (and the catalog test catches it).
func (l Localizer) T(key string, args ...any) string {
	s, ok := l.catalogs[l.Lang.Code][key]
	if !ok || s == "" {
		if s, ok = l.catalogs["en"][key]; !ok {
			s = key
		}
	}
	for i, a := range args {
		s = strings.ReplaceAll(s, fmt.Sprintf("{%d}", i), fmt.Sprint(a))
	}
	return s
}

// HTML is T for texts that carry simple markup written by us (<strong>),
// never by a user.
func (l Localizer) HTML(key string, args ...any) template.HTML {
	for i, a := range args {
		args[i] = template.HTMLEscapeString(fmt.Sprint(a))
	}
	return template.HTML(l.T(key, args...)) //nolint:gosec // catalog text is ours
}

// Category names a report category in the reader's language. A category an
// admin added without catalog messages reads as its code in plain words.
func (l Localizer) Category(code any) string {
	c := fmt.Sprint(code)
	if _, ok := l.catalogs["en"]["cat_"+c]; !ok {
		return strings.ReplaceAll(c, "_", " ")
	}
	return l.T("cat_" + c)
}

// Path prefixes an absolute site path with the language's prefix.
func (l Localizer) Path(p string) string { return l.Lang.Prefix + p }
