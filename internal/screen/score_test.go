package screen_test

import (
	"strings"
	"testing"

	"tipline/internal/screen"
)

// TestScoringRules checks the matcher's rules on the real snapshots: a part
// of a name found through its rare words, exact ship numbers, Han or
// Hangul names that need every syllable, in order, and names that share
// only common words.
func TestScoringRules(t *testing.T) {
	_, ix := snapshots(t)
	hit := func(q, key string) *screen.Hit {
		r := ix.Screen(q, screen.Options{Limit: -1})
		for i, h := range r.Hits {
			if string(h.Source)+":"+h.ID == key {
				return &r.Hits[i]
			}
		}
		return nil
	}
	for _, tc := range []struct {
		query, key string
		want       bool
	}{
		{"Chon Myong 1", "un-vessels:8712362", true},
		{"Chon Myong 2", "un-vessels:8712362", false}, // another number is another ship
		{"최룡해", "ofac:23213", true},                   // Choe Ryong Hae
		{"김정은", "ofac:20157", true},                   // Kim Jong Un
		{"은정 김", "ofac:20157", false},                 // Eun Jeong Kim: the same syllables, not the same name
		{"Frank D. Lucas", "", false},                 // an initial does not split a name into "Lucas"
		{"John A. Yarmuth", "", false},                // nor the initial "A." (not the article) into "John"
		{"Bank of Shanghai", "", false},               // nor "of" into "Shanghai", then "SANAI" (0.888 before)
		// A long official name is tried whole, not only in runs split at
		// "for", "of" and "the" (a letter dropped from "DIRECTORATE").
		{"MAIN DIRECORATE FOR COMBATING ORGANIZED CRIME AND CORRUPTION OF THE MVD OF THE REPUBLIC OF BELARUS", "ofac:31851", true},
		{"CJSCZEST", "ofac:16811", true},               // a legal form glued on: CJSC ZEST
		{"OOOEKOGRUPP", "ofac:36576", true},            // OOO EKOGRUPP
		{"Tapani Tapani Lassila", "ofac:11290", false}, // "TA PANG": syllables are not joined
		// Syllables one letter apart are different syllables: "chen" is
		// not "chon", nor "gang" "jang" (0.87 before).
		{"Chen Gang", "ofac:17069", false}, // CHONG CHON GANG
		// A syllable of a Korean name missing or different on either
		// side is another person (0.857 and 0.897 before).
		{"Son Chae Hyok", "un:KPi.031", false}, // SON JONG HYOK
		{"Sang Min Song", "ofac:19532", false}, // SON, Jong Hyok, a.k.a. Son Min
		{"Son Jong Hyok", "un:KPi.031", true},
		// A syllable on each side that the other lacks: translit's
		// Similarity paired them at 0.75 and more (0.852 before).
		{"Jong Hyo Jun", "un:KPi.031", false},
		// Between Korean names, syllables pair only as one syllable
		// however romanised: "hyo" is not "hyok" (0.873 before).
		{"Jon Hyo Ju", "un:KPi.065", false}, // a.k.a. Ju Hyok
		// An initial consonant added makes another syllable: "yong" is
		// not "myong" (0.909 before, through Similarity).
		{"Yu Yong", "", false}, // RYO MYONG
		// Of two names of as many syllables, one syllable each that the
		// other lacks is a syllable changed: another person (0.853
		// before, through word scoring).
		{"Cha Chun Hyong", "", false}, // KU, Ja Hyong
		// A syllable more is another given name (0.880 before).
		{"Jin Hye Min", "", false}, // JIN HYE
		{"Ju Hyok", "un:KPi.065", true},
		// One syllable shared and the rest only a few letters alike is not
		// enough, however translit pairs them (0.917 before).
		{"Gao Hang", "ofac:42943", false}, // GAO, Shan
		// Only common words in common — a frequent surname, generic
		// company words — while another word differs: a candidate, never
		// a hit (0.862, 0.939 and 0.908 before).
		{"Wang Luyang", "ofac:16819", false},                  // WANG, Guoying
		{"Korea Development Bank", "ofac:19509", false},       // KOREA UNITED DEVELOPMENT BANK
		{"Far Eastern Shipping Company", "ofac:37517", false}, // FAR EASTERN BANK
		{"Wang Guoying", "ofac:16819", true},
		{"Korea United Development Bank", "ofac:19509", true},
		// A name written surname first with a comma is one name: its
		// given names alone are not tried (0.890 before, through "Trifon
		// Fedosevich").
		{"LIKHACHEV, Trifon Fedosevich", "ofac:35505", false}, // TRIFONOV, Andrey Fedorovich
		{"TRIFONOV, Andrey Fedorovich", "ofac:35505", true},
		// A patronymic is never a given name or a surname (0.860, 0.866
		// and 0.886 before).
		{"Viktorin Morozov", "ofac:37344", false},       // MOROZOV, Oleg Victorovich
		{"Vladislav Markov", "ofac:35446", false},       // MARKOV, Yevgeny Vladimirovich
		{"BLINOV, Mir Davydovich", "ofac:45389", false}, // DAVIDOVIC, Miodrag
		{"Oleg Viktorovich Morozov", "ofac:37344", true},
		// Two surnames sharing an ending are different surnames (0.895
		// and 0.868 before); a spelling variant of one is not.
		{"Lavrentii Makarov", "ofac:46004", false}, // ZAKHAROV, Lavrentii Aleksandrovich
		{"Anatolii Shilov", "ofac:36865", false},   // SHIROKOV, Anatoly Ivanovich
		{"Lavrentii Zakharov", "ofac:46004", true},
		{"Anatoliy Shirokov", "ofac:36865", true},
		// Electric power is what a company does, not which one (0.852).
		{"Korea Electric Power Corporation", "ofac:48514", false}, // ALEXANDER ELECTRIC POWER SUPPLIES
		// A city or region says where a business is, not which one
		// (0.853, 0.933 and 0.847 before).
		{"Shanghai Pudong Development Bank", "", false}, // CPMIEC SHANGHAI PUDONG COMPANY
		{"Arctic Shipping Company", "", false},          // NEW ARCTIC SHIPPING LLC
		{"Kwangju Bank", "", false},                     // KOREA KWANGSON BANKING CORP
	} {
		if tc.key == "" {
			if r := ix.Screen(tc.query, screen.Options{}); len(r.Hits) != 0 {
				t.Errorf("%q: hits %+v, want none", tc.query, r.Hits)
			}
			continue
		}
		if got := hit(tc.query, tc.key) != nil; got != tc.want {
			t.Errorf("%q hits %s: %v, want %v", tc.query, tc.key, got, tc.want)
		}
	}
	// Held out, each alias is found through its entry's other names.
	for _, tc := range []struct{ key, alias string }{
		// A two-word part of a three-word name, through its words' weight.
		{"un:QDi.135", "Dawood Ebrahim"},
		// The spacing and the spelling differ at once: "HAFEZ, Abu-Obaidah K.".
		{"ofac:18535", "HAFIZ, Abu Obidah K"},
		// A name in two scripts: its Latin words alone are another name.
		{"un:QDi.291", "Ibrahim Hassan Tali Asiri (إبراهيم حسن طالع عسيري)"},
		// A given name written apart and together in two romanisations
		// at once ("RI, Jae Il"), whose syllables are too short to join
		// by spelling: joined by their Korean key.
		{"un:KPi.051", "RI Chae-Il"},
	} {
		var found bool
		for _, h := range ix.NameHitsHoldingOut(tc.alias, tc.key, aliasIndex(t, tc.key, tc.alias)) {
			found = found || (string(h.Source)+":"+h.ID == tc.key && h.Score >= screen.DefaultThreshold)
		}
		if !found {
			t.Errorf("held-out %q does not find %s", tc.alias, tc.key)
		}
	}
}

// aliasIndex returns the number of the name text of the entry keyed key.
func aliasIndex(t *testing.T, key, text string) int {
	lists, _ := snapshots(t)
	for _, l := range lists {
		for _, e := range l.Entries {
			if e.Key() != key {
				continue
			}
			for i, n := range e.Names {
				if n.Text == text {
					return i
				}
			}
		}
	}
	t.Fatalf("%s has no alias %q in this snapshot", key, text)
	return 0
}

// TestPossibleTier checks the two tiers: what scores from Possible up to
// the threshold is listed apart as possible, never among the hits, and is
// exactly what a screening at the lower threshold adds; without Possible
// nothing is listed as possible.
func TestPossibleTier(t *testing.T) {
	_, ix := snapshots(t)
	keys := func(hits []screen.Hit) map[string]float64 {
		m := map[string]float64{}
		for _, h := range hits {
			m[string(h.Source)+":"+h.ID] = h.Score
		}
		return m
	}
	some := 0
	for _, q := range []string{"Kim Jong Il", "Son Chae Hyok", "Gao Hang", "Korea Development Bank", "Chon Myong 1"} {
		r := ix.Screen(q, screen.Options{Possible: screen.DefaultPossible, Limit: -1})
		low := ix.Screen(q, screen.Options{Threshold: screen.DefaultPossible, Limit: -1})
		hits, possible, all := keys(r.Hits), keys(r.Possible), keys(low.Hits)
		some += len(possible)
		for k, s := range possible {
			if _, ok := hits[k]; ok || s >= screen.DefaultThreshold || all[k] != s {
				t.Errorf("%q: possible %s at %.3f is also a hit, over the threshold, or not a hit at %v", q, k, s, screen.DefaultPossible)
			}
		}
		if len(all) != len(hits)+len(possible) {
			t.Errorf("%q: %d hits at %v, but %d hits and %d possible", q, len(all), screen.DefaultPossible, len(hits), len(possible))
		}
		if plain := ix.Screen(q, screen.Options{Limit: -1}); len(plain.Possible) != 0 || len(plain.Hits) != len(hits) {
			t.Errorf("%q without Possible: %d possible, %d hits (with: %d hits)", q, len(plain.Possible), len(plain.Hits), len(hits))
		}
	}
	if some == 0 {
		t.Error("no query had a possible match")
	}
}

// TestHitExplainsAgreement checks that a fuzzy hit says which words
// agreed, which had no counterpart, and when the words in common are only
// common ones.
func TestHitExplainsAgreement(t *testing.T) {
	_, ix := snapshots(t)
	why := func(q, key string) string {
		r := ix.Screen(q, screen.Options{Possible: screen.DefaultPossible, Limit: -1})
		for _, h := range append(r.Hits, r.Possible...) {
			if string(h.Source)+":"+h.ID == key {
				return h.Why
			}
		}
		t.Fatalf("%q: no hit or possible match for %s", q, key)
		return ""
	}
	for _, tc := range []struct{ query, key, want string }{
		{"Wang Luyang", "ofac:16819", "words in common: wang (all of them common words"},
		{"Wang Luyang", "ofac:16819", "only in the query: luyang; only in the listed name: guoying"},
		{"Dawood Ebrahim Kaskar", "un:QDi.135", "words in common: dawood, ebrahim ~ ibrahim, kaskar"},
		{"Son Jong Hyok", "un:KPi.031", "is, once normalised,"},
	} {
		if got := why(tc.query, tc.key); !strings.Contains(got, tc.want) {
			t.Errorf("%q → %s: why %q lacks %q", tc.query, tc.key, got, tc.want)
		}
	}
}
