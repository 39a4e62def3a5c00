package ident

import (
	"errors"
	"strings"
	"testing"
)

func TestExtract(t *testing.T) {
	type want struct {
		typ   Type
		value string
		warn  error
	}
	for _, tc := range []struct {
		name string
		text string
		want []want
	}{
		{"labelled IMO", "The tanker IMO 8914934 was seen off Nampo.", []want{{TypeIMO, "8914934", nil}}},
		{"glued label", "IMO8712362 loaded coal", []want{{TypeIMO, "8712362", nil}}},
		{"wrong check digit", "Ship IMO 8914935 at anchor", []want{{TypeIMO, "8914935", ErrIMOCheckDigit}}},
		{"Korean", "선박 IMO번호 8712362 가 남포항에", []want{{TypeIMO, "8712362", nil}}},
		{"Russian", "Судно ИМО 8712362 стояло в порту", []want{{TypeIMO, "8712362", nil}}},
		{"Chinese unlabelled in vessel context", "油轮8712362号停靠", []want{{TypeIMO, "8712362", nil}}},
		{"unlabelled without vessel context", "Invoice 8712362 was paid", nil},
		{"unlabelled bad check digit", "The vessel 8712363 left", nil},
		{"part of longer number", "Paid 1,8712362 dollars and 3.8712362", nil},
		{"company", "Company IMO 5341436 and IMO 1991835 (company)", []want{{TypeCompanyIMO, "5341436", nil}, {TypeCompanyIMO, "1991835", nil}}},
		{"UN style", "International Maritime Organization (IMO) Number: 8712362.", []want{{TypeIMO, "8712362", nil}}},
		{"not KERIMOV", "KERIMOV 8712363", nil},
		{"MMSI labelled", "MMSI: 445112000", []want{{TypeMMSI, "445112000", nil}}},
		{"MMSI coast station", "MMSI 002734567", []want{{TypeMMSI, "002734567", ErrNotShipMMSI}}},
		{"MMSI in ship context", "the ship's AIS showed 273456789", []want{{TypeMMSI, "273456789", nil}}},
		{"bare nine digits", "call me on 273456789", nil},
		{"call sign", "call sign: HMAB3, flag DPRK", []want{{TypeCallSign, "HMAB3", nil}}},
		{"bitcoin URI", "send to bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa?amount=1.5.", []want{{TypeWallet, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", nil}}},
		{"wallets in Korean", "지갑 주소는 bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 와 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed 입니다",
			[]want{{TypeWallet, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", nil}, {TypeWallet, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", nil}}},
		{"bad checksum", "адрес 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", []want{{TypeWallet, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", ErrWalletChecksum}}},
		{"long word is no wallet", "Pneumonoultramicroscopicsilicovolcanoconiosis", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Extract(tc.text)
			if len(got) != len(tc.want) {
				t.Fatalf("Extract(%q) = %+v, want %d items", tc.text, got, len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Type != w.typ || g.Value != w.value || !errors.Is(g.Warning, w.warn) || (w.warn == nil) != (g.Warning == nil) {
					t.Errorf("item %d = %+v (warning %v), want %+v", i, g, g.Warning, w)
				}
				if tc.text[g.Start:g.End] != g.Raw {
					t.Errorf("span %d:%d is %q, Raw %q", g.Start, g.End, tc.text[g.Start:g.End], g.Raw)
				}
			}
		})
	}
}

func TestExtractWarningText(t *testing.T) {
	got := Extract("IMO 8914935")
	if len(got) != 1 || !strings.Contains(got[0].Warning.Error(), "the check digit of IMO 8914935 is wrong") {
		t.Fatalf("got %+v", got)
	}
}
