package listfmt

import (
	"reflect"
	"testing"
)

func TestOFACDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"21 Jan 1971", "1971-01-21"},
		{"5 Jul 1951", "1951-07-05"},
		{"Jan 1971", "1971-01"},
		{"1962", "1962"},
		{"circa 1970", "1970~"},
		{"1962 to 1965", "1962/1965"},
		{"circa 1979-1982", "1979/1982~"},
		{"04/06/2018", "2018-04-06"},
		{"sometime", "sometime"},
	}
	for _, tt := range tests {
		if got := ofacDate(tt.in); got != tt.want {
			t.Errorf("ofacDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitNumbered(t *testing.T) {
	tests := []struct {
		in, seps string
		want     []string
	}{
		{"1: AN SAN 1", ":", []string{"AN SAN 1"}},
		{"1: Hwang Gum San 2 2: Hui Chon 3: Song Phyong 7", ":", []string{"Hwang Gum San 2", "Hui Chon", "Song Phyong 7"}},
		{"1. Kiribati 2: Cambodia 3: Democratic People’s Republic of Korea", ":.", []string{"Kiribati", "Cambodia", "Democratic People’s Republic of Korea"}},
		{"1: Ra Nam 3 2: Ranam 3", ":", []string{"Ra Nam 3", "Ranam 3"}},
		{"General Cargo Ship", ":", []string{"General Cargo Ship"}},
		{"1:", ":", nil},
	}
	for _, tt := range tests {
		if got := splitNumbered(tt.in, tt.seps); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitNumbered(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLightNormalisation(t *testing.T) {
	tests := []struct{ got, want string }{
		{clean("  RI \n  WON\u00a0HO "), "RI WON HO"},
		{digits("IMO 8712362"), "8712362"},
		{callSign(" hm-zf 7"), "HMZF7"},
		{documentNumber("T14553558 (Iran) issued 28 Oct 2008 expires 29 Oct 2013"), "T14553558"},
		{scriptOf("백창호"), "Hangul"},
		{scriptOf("Иванов"), "Cyrillic"},
		{scriptOf("金正恩"), "Han"},
		{scriptOf("12345"), ""},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}
