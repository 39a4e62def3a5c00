package ident

import (
	"errors"
	"strings"
	"testing"
)

func FuzzParseIMO(f *testing.F) {
	for _, s := range []string{"IMO 8914934", "IMO8914934", "imo no. 8914935", "Company IMO 5341436", "ИМО 8712362", "", "IMO"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseIMO(s)
		if err != nil {
			if !errors.Is(err, ErrNotIMO) && !errors.Is(err, ErrIMOCheckDigit) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if again, err := ParseIMO(n.String()); err != nil || again != n {
			t.Fatalf("%q → %q does not re-parse: %v", s, n, err)
		}
	})
}

func FuzzParseWallet(f *testing.F) {
	for _, s := range []string{
		"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
		"bitcoin:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy?amount=1", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", "TMStbg5fgb4uTV7fK1gEYF9hKAzP3siPsG",
		"884Bz8UH63aYsjVdkfWfScRYWZGGNbjFL7pztqvWNSrtYT4reFSwyvkCj9KEGUtheHhhMUj87ciTBFyzoesrMJ4L1FvSoxL",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWallet(s)
		if err != nil {
			if !errors.Is(err, ErrNotWallet) && !errors.Is(err, ErrInvalidWallet) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		again, err := ParseWallet(w.Address)
		if err != nil || again.Address != w.Address {
			t.Fatalf("%q → %q does not re-validate: %v", s, w.Address, err)
		}
	})
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"The tanker IMO 8914934 (MMSI 445112000) paid to bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
		"선박 IMO번호 8712362, 지갑 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "Судно ИМО 8914935", "call sign HMAB3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, g := range Extract(s) {
			if g.Start < 0 || g.End > len(s) || g.Start >= g.End || s[g.Start:g.End] != g.Raw {
				t.Fatalf("bad span %+v", g)
			}
			if g.Warning != nil {
				continue
			}
			var err error
			switch g.Type {
			case TypeIMO:
				_, err = ParseIMO(g.Value)
			case TypeCompanyIMO:
				_, err = ParseCompanyIMO(g.Value)
			case TypeMMSI:
				_, err = ParseMMSI(g.Value)
			case TypeCallSign:
				_, err = ParseCallSign(g.Value)
			case TypeWallet:
				var w Wallet
				if w, err = ParseWallet(g.Value); err == nil && w.Address != g.Value {
					t.Fatalf("wallet %q normalises to %q", g.Value, w.Address)
				}
			}
			if err != nil {
				t.Fatalf("found %+v does not re-validate: %v", g, err)
			}
		}
	})
}

func FuzzParseMMSI(f *testing.F) {
	for _, s := range []string{"MMSI 445112000", "002734567", "MMSI: 273 456 789"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMMSI(s)
		if err != nil {
			return
		}
		_ = m.Kind().String() + m.Country()
		if again, err := ParseMMSI(string(m)); err != nil || again != m {
			t.Fatalf("%q → %q does not re-parse", s, m)
		}
	})
}

func FuzzParseCallSign(f *testing.F) {
	for _, s := range []string{"HMAB3", "call sign: hm-ab 3", "Callsign 3E/HX8", "123", "ЖЖЖ", "", "call sign"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCallSign(s)
		if err != nil {
			if !errors.Is(err, ErrNotCallSign) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if len(c) < 3 || len(c) > 7 || strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" || strings.Trim(c, "0123456789") == "" {
			t.Fatalf("%q → %q is not 3 to 7 capital letters and digits with a letter", s, c)
		}
		if again, err := ParseCallSign(c); err != nil || again != c {
			t.Fatalf("%q → %q does not re-parse: %v", s, c, err)
		}
	})
}

func FuzzParseCompanyIMO(f *testing.F) {
	for _, s := range []string{"Company IMO 5341436", "IMO 5341436 (registered owner)", "5341436", "IMO 8914934", "", "(company)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseCompanyIMO(s)
		if err != nil {
			if !errors.Is(err, ErrNotIMO) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if len(n) != 7 || strings.Trim(string(n), "0123456789") != "" {
			t.Fatalf("%q → %q is not seven digits", s, n)
		}
		if again, err := ParseCompanyIMO(string(n)); err != nil || again != n {
			t.Fatalf("%q → %q does not re-parse: %v", s, n, err)
		}
	})
}

// A ship's MMSI is an MMSI.
func FuzzParseShipMMSI(f *testing.F) {
	for _, s := range []string{"MMSI 445112000", "MMSI: 273 456 789", "002734567", "970123456", "111123456"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseShipMMSI(s)
		if err != nil {
			if !errors.Is(err, ErrNotMMSI) && !errors.Is(err, ErrNotShipMMSI) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if plain, err := ParseMMSI(s); err != nil || plain != m || m.Kind() != MMSIShip || m.Country() == "" {
			t.Fatalf("%q → ship MMSI %q, but ParseMMSI gives %q, %v (kind %s, country %q)", s, m, plain, err, m.Kind(), m.Country())
		}
	})
}

func FuzzParseWalletAs(f *testing.F) {
	for _, c := range [][2]string{
		{"ETC", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}, {"XBT", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"},
		{"usdt", "TMStbg5fgb4uTV7fK1gEYF9hKAzP3siPsG"}, {"XMR", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"}, {"", ""},
	} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, currency, s string) {
		w, err := ParseWalletAs(currency, s)
		if err != nil {
			if !errors.Is(err, ErrNotWallet) && !errors.Is(err, ErrInvalidWallet) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		plain, err := ParseWallet(s)
		if err != nil || plain.Address != w.Address {
			t.Fatalf("%s %q → %q, but ParseWallet gives %q, %v", currency, s, w.Address, plain.Address, err)
		}
		if want := strings.ToUpper(strings.TrimSpace(currency)); w.Currency != want || !plain.Matches(want) {
			t.Fatalf("%s %q: currency %q, want %q, one the address's form is used for", currency, s, w.Currency, want)
		}
	})
}
