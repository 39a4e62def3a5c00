package ident

import (
	"errors"
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
