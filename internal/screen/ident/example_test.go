package ident_test

import (
	"errors"
	"fmt"

	"tipline/internal/screen/ident"
)

func ExampleParseIMO() {
	n, err := ident.ParseIMO("IMO no. 8914934")
	fmt.Println(n, err)
	_, err = ident.ParseIMO("IMO 8914935")
	fmt.Println(errors.Is(err, ident.ErrIMOCheckDigit))
	fmt.Println(err)
	// Output:
	// IMO 8914934 <nil>
	// true
	// the check digit of IMO 8914935 is wrong (expected 4 as the last digit) — please check the number
}

func ExampleParseWallet() {
	w, _ := ident.ParseWallet("bitcoin:BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4?amount=0.1")
	fmt.Println(w.Currency, w.Address, w.Format)
	w, _ = ident.ParseWallet("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
	fmt.Println(w.Currency, w.Address, w.Checked)
	// Output:
	// XBT bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 segwit-v0
	// ETH 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed true
}

func ExampleExtract() {
	text := "유조선 IMO 8914935 (MMSI 445112000) 대금은 bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa 로 송금"
	for _, f := range ident.Extract(text) {
		fmt.Printf("%s %s warning=%v\n", f.Type, f.Value, f.Warning != nil)
	}
	// Output:
	// imo 8914935 warning=true
	// mmsi 445112000 warning=false
	// wallet 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa warning=false
}

func ExampleMMSI_Kind() {
	m, _ := ident.ParseMMSI("MMSI 002734567")
	fmt.Println(m.Kind(), m.Country(), m.IsShip())
	// Output: coast station RU false
}
