package web_test

import (
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"

	"tipline/internal/metadata"
	"tipline/internal/tip"
	"tipline/internal/web"
)

// Every language has every message English has.
func TestAllLanguagesAreComplete(t *testing.T) {
	c, err := web.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	for lang, keys := range c.Missing() {
		if len(keys) > 0 {
			t.Errorf("%s lacks %d messages: %v", lang, len(keys), keys)
		}
	}
	for _, l := range web.Languages {
		for k := range c[l.Code] {
			if _, ok := c["en"][k]; !ok {
				t.Errorf("%s has %q, which English lacks", l.Code, k)
			}
		}
	}
}

var literalKey = regexp.MustCompile(`\.L\.(?:T|HTML) "([a-z0-9_]+)"`)

// Every message a template asks for by name exists in the English catalog.
func TestTemplatesUseOnlyKnownMessages(t *testing.T) {
	c, err := web.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := fs.Glob(os.DirFS("templates/source"), "*.html")
	if len(files) == 0 {
		t.Fatal("no templates found")
	}
	for _, f := range files {
		b, _ := os.ReadFile("templates/source/" + f)
		for _, m := range literalKey.FindAllStringSubmatch(string(b), -1) {
			if _, ok := c["en"][m[1]]; !ok {
				t.Errorf("%s uses unknown message %q", f, m[1])
			}
		}
	}
	for _, prefix := range []string{"cat_", "how_", "public_"} {
		found := false
		for k := range c["en"] {
			found = found || strings.HasPrefix(k, prefix)
		}
		if !found {
			t.Errorf("no messages with prefix %s, which templates build keys from", prefix)
		}
	}
}

func TestTemplatesParse(t *testing.T) {
	p, err := web.ParseTemplates(web.SourceTemplates)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Names()) < 6 {
		t.Fatalf("only %d pages parsed", len(p.Names()))
	}
}

// Keys built from values in templates ("cat_" + category, ...) exist for
// every value, in every language.
func TestBuiltKeysExistForEveryValue(t *testing.T) {
	c, err := web.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, cat := range tip.DPRKCategories {
		keys = append(keys, "cat_"+string(cat))
	}
	for _, h := range []tip.HowKnown{tip.KnownSaw, tip.KnownDocuments, tip.KnownHeard} {
		keys = append(keys, "how_"+string(h))
	}
	for _, p := range []tip.PublicState{tip.PublicReceived, tip.PublicUnderReview, tip.PublicClosed} {
		keys = append(keys, "public_"+string(p))
	}
	for _, m := range metadata.Categories {
		keys = append(keys, "meta_cat_"+m.String())
	}
	for _, l := range web.Languages {
		for _, k := range keys {
			if c[l.Code][k] == "" {
				t.Errorf("%s lacks %s", l.Code, k)
			}
		}
	}
}
