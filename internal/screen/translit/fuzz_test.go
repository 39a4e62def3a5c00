package translit

import (
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{"M/V Song-jin Trading Co., Ltd.", "김정은", "Умаров Доку Хаматович", "丹東鴻祥實業發展有限公司",
	"ＫＩＭ　ＪＯＮＧ　ＵＮ", "Đặng Văn Hùng", "", "-", "'''", "ss", "co ltd", "\xff\xfe"}

func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if again := Normalize(n); again != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, again)
		}
		if !utf8.ValidString(n) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
	})
}

func FuzzKeys(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		keys := Keys(s)
		if n := Normalize(s); n != "" && (len(keys) == 0 || keys[0] != n) {
			t.Fatalf("first key of %q is not its normal form %q: %q", s, n, keys)
		}
		seen := map[string]bool{}
		for _, k := range keys {
			if k == "" || seen[k] {
				t.Fatalf("empty or repeated key in %q", keys)
			}
			seen[k] = true
		}
		sim := Similarity(s, s)
		if s2 := Normalize(s); s2 != "" && !hasOnlyOriginalScript(s2) && sim < 0.999 {
			t.Fatalf("Similarity(%q, itself) = %v", s, sim)
		}
		if sim < 0 || sim > 1 {
			t.Fatalf("similarity out of range: %v", sim)
		}
	})
}

// hasOnlyOriginalScript reports names whose only forms are skipped by
// Similarity (Hangul or Han that could not be romanised).
func hasOnlyOriginalScript(n string) bool {
	for _, f := range Compile(n).forms {
		if !f.skip {
			return false
		}
	}
	return true
}
