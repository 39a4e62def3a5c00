package screen_test

import (
	"testing"

	"tipline/internal/screen"
)

// TestCountryCode reads countries as the lists write them and as sources
// do, in the tip line's languages, and gives no answer for a name that
// could be several countries.
func TestCountryCode(t *testing.T) {
	for _, c := range []struct{ name, code string }{
		// As the lists write them.
		{"Korea, North", "KP"},
		{"Democratic People's Republic of Korea", "KP"},
		{"Democratic People’s Republic of Korea", "KP"},
		{"Korea, South", "KR"},
		{"Iran (Islamic Republic of)", "IR"},
		{"Russian Federation", "RU"},
		{"Congo, Democratic Republic of the", "CD"},
		{"Virgin Islands, British", "VG"},
		{"Man, Isle of", "IM"},
		{"North Macedonia, The Republic of", "MK"},
		{"St. Kitts & Nevis", "KN"},
		{"St. Vincent and the Grenadines", "VC"},
		{"Burma", "MM"},
		{"Türkiye", "TR"},
		{"Hong Kong", "HK"},
		{"United Kingdom of Great Britain and Northern Ireland", "GB"},
		// As sources write them.
		{"North Korea", "KP"},
		{"DPRK", "KP"},
		{"north korean", "KP"},
		{"북한", "KP"},
		{"조선", "KP"},
		{"朝鲜", "KP"},
		{"КНДР", "KP"},
		{"Северная Корея", "KP"},
		{"South Korea", "KR"},
		{"대한민국", "KR"},
		{"China", "CN"},
		{"Chinese", "CN"},
		{"中国", "CN"},
		{"中國", "CN"},
		{"Китай", "CN"},
		{"Russia", "RU"},
		{"Россия", "RU"},
		{"러시아", "RU"},
		{"  japan ", "JP"},
		{"日本", "JP"},
		// ISO codes, in capitals.
		{"KP", "KP"},
		{"PRK", "KP"},
		{"CN", "CN"},
		{"Kp", ""},
		{"ZZ", ""},
		{"EU", ""},
		{"410", ""},
		// Not a country, or more than one.
		{"Korea", ""},
		{"Korean", ""},
		{"Congo", ""},
		{"Narnia", ""},
		{"", ""},
		{"former Soviet Union", ""},
	} {
		if got := screen.CountryCode(c.name); got != c.code {
			t.Errorf("CountryCode(%q) = %q, want %q", c.name, got, c.code)
		}
	}
}

// TestBirthYear reads a year out of the ways sources and lists write a birth
// date, and nothing out of what is not one.
func TestBirthYear(t *testing.T) {
	for s, want := range map[string]int{
		"1971": 1971, "1971-05-03": 1971, "03.05.1971": 1971, "born 1971": 1971, "1971년생": 1971,
		"1971年": 1971, "1971 г.р.": 1971, "": 0, "71": 0, "12345": 0, "IMO 9123456": 0, "1850": 0,
	} {
		if got := screen.BirthYear(s); got != want {
			t.Errorf("BirthYear(%q) = %d, want %d", s, got, want)
		}
	}
}
