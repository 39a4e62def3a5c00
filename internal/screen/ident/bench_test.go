package ident

import (
	"strings"
	"testing"
)

var benchText = strings.Repeat("선박 IMO 8712362 는 MMSI 445112000 으로 남포항에 정박했다. The tanker paid "+
	"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 and 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed; invoice 1234567. ", 10)

func BenchmarkExtract(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		Extract(benchText)
	}
}

func BenchmarkParseWallet(b *testing.B) {
	for b.Loop() {
		ParseWallet("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
	}
}
