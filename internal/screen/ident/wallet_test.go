package ident

import (
	"errors"
	"testing"
)

func TestParseWalletValid(t *testing.T) {
	for _, tc := range []struct {
		in, currency, address, format string
	}{
		// Bitcoin: the genesis block address and the BIP-13 P2SH example.
		{"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "XBT", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "p2pkh"},
		{"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "XBT", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "p2sh"},
		// BIP-350 valid segwit addresses (mainnet ones).
		{"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "XBT", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "segwit-v0"},
		{"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "XBT", "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "segwit-v1"},
		{"BC1SW50QGDZ25J", "XBT", "bc1sw50qgdz25j", "segwit-v16"},
		{"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "XBT", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "segwit-v2"},
		{"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "XBT", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "segwit-v1"},
		// Payment URIs.
		{"bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa?amount=0.5&label=x", "XBT", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "p2pkh"},
		{"ethereum:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed@1", "ETH", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "eip55"},
		// EIP-55 test vectors: mixed case checked, single case accepted.
		{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "ETH", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "eip55"},
		{"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "ETH", "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359", "eip55"},
		{"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "ETH", "0xdbf03b407c01e7cd3cbea99509d93f8dddc8c6fb", "eip55"},
		{"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb", "ETH", "0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb", "eip55"},
		{"0x52908400098527886E0F7030069857D2E4169EE7", "ETH", "0x52908400098527886e0f7030069857d2e4169ee7", "eip55"},
		{"0xde709f2102306220921060314715629080e2fb77", "ETH", "0xde709f2102306220921060314715629080e2fb77", "eip55"},
		// Bitcoin Cash: the cashaddr spec's example for 1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu.
		{"bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", "BCH", "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", "cashaddr"},
		{"QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A", "BCH", "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", "cashaddr"},
		// From OFAC's list.
		{"LaizKtS5DUhPuP1nTQcc83MS7HwK6vk85z", "LTC", "LaizKtS5DUhPuP1nTQcc83MS7HwK6vk85z", "p2pkh"},
		{"TMStbg5fgb4uTV7fK1gEYF9hKAzP3siPsG", "TRX", "TMStbg5fgb4uTV7fK1gEYF9hKAzP3siPsG", "base58check"},
		{"XnPFsRWTaSgiVauosEwQ6dEitGYXgwznz2", "DASH", "XnPFsRWTaSgiVauosEwQ6dEitGYXgwznz2", "p2pkh"},
		{"t1g7wowvQ8gn2v8jrU1biyJ26sieNqNsBJy", "ZEC", "t1g7wowvQ8gn2v8jrU1biyJ26sieNqNsBJy", "p2pkh"},
		{"GPwg61XoHqQPNmAucFACuQ5H9sGCDv9TpS", "BTG", "GPwg61XoHqQPNmAucFACuQ5H9sGCDv9TpS", "p2pkh"},
		{"DFFJhnQNZf8rf67tYnesPu7MuGUpYtzv7Z", "XVG", "DFFJhnQNZf8rf67tYnesPu7MuGUpYtzv7Z", "p2pkh"},
		{"884Bz8UH63aYsjVdkfWfScRYWZGGNbjFL7pztqvWNSrtYT4reFSwyvkCj9KEGUtheHhhMUj87ciTBFyzoesrMJ4L1FvSoxL", "XMR", "884Bz8UH63aYsjVdkfWfScRYWZGGNbjFL7pztqvWNSrtYT4reFSwyvkCj9KEGUtheHhhMUj87ciTBFyzoesrMJ4L1FvSoxL", "monero"},
		{"49HqitRzdnhYjgTEAhgGpCfsjdTeMbUTU6cyR4JV1R7k2Eej9rGT8JpFiYDa4tZM6RZiFrHmMzgSrhHEqpDYKBe5B2ufNsL", "XMR", "49HqitRzdnhYjgTEAhgGpCfsjdTeMbUTU6cyR4JV1R7k2Eej9rGT8JpFiYDa4tZM6RZiFrHmMzgSrhHEqpDYKBe5B2ufNsL", "monero"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			w, err := ParseWallet(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if w.Currency != tc.currency || w.Address != tc.address || w.Format != tc.format {
				t.Errorf("got %+v", w)
			}
			// The normal form must parse to itself.
			again, err := ParseWallet(w.Address)
			if err != nil || again.Address != w.Address {
				t.Errorf("normal form %q does not re-validate: %v", w.Address, err)
			}
		})
	}
}

func TestParseWalletInvalid(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want error
	}{
		// BIP-350 invalid segwit addresses (mainnet ones) and BIP-173 rules.
		{"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", ErrWalletChecksum}, // bech32 for v1
		{"BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", ErrWalletChecksum},
		{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", ErrWalletChecksum}, // bech32m for v0
		{"bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", ErrInvalidWallet},
		{"BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", ErrInvalidWallet},
		{"bc1pw5dgrnzv", ErrInvalidWallet},
		{"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav", ErrInvalidWallet},
		{"BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", ErrInvalidWallet},
		{"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", ErrInvalidWallet},
		{"bc1gmk9yu", ErrInvalidWallet},
		{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3T4", ErrInvalidWallet}, // mixed case
		// Testnet addresses are not mainnet wallets.
		{"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", ErrNotWallet},
		// One character changed in a base58check address.
		{"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", ErrWalletChecksum},
		// EIP-55: a letter's case flipped.
		{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", ErrWalletChecksum},
		{"0xa7e5d5a720f06526557c513402f2e6b5fa20b00", ErrInvalidWallet}, // 39 hex digits
		{"bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6c", ErrWalletChecksum},
		{"hello world", ErrNotWallet},
		{"", ErrNotWallet},
	} {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseWallet(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestBech32Checksums(t *testing.T) {
	// BIP-173 and BIP-350 generic strings: valid under exactly one constant.
	for s, want := range map[string]uint32{
		"A12UEL5L": bech32Const, "a12uel5l": bech32Const,
		"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw":                bech32Const,
		"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w": bech32Const,
		"A1LQFN3A": bech32mConst, "?1v759aa": bech32mConst,
		"abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx":                bech32mConst,
		"split1checkupstagehandshakeupstreamerranterredcaperredlc445v": bech32mConst,
	} {
		if _, _, c, err := bech32Decode(s, 90); err != nil || c != want {
			t.Errorf("%s: constant %#x, %v", s, c, err)
		}
	}
	for _, s := range []string{"pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "A1G7SGD8", "M1VUXWEZ", "a12UEL5L"} {
		if _, _, _, err := bech32Decode(s, 90); err == nil {
			t.Errorf("%s: accepted", s)
		}
	}
}

func TestParseWalletAs(t *testing.T) {
	for _, tc := range []struct{ cur, addr string }{
		{"ETC", "0xd882cfc20f52f2599d84b8e8d58c7fb62cfe344b"},
		{"USDT", "TX5GV4DyfxNB3rPkzZJhmqZ1efVmL4rEqG"},
		{"USDT", "3E6ZCKRrsdPc35chA9Eftp1h3DLW18NFNV"},
		{"BSV", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"},
	} {
		w, err := ParseWalletAs(tc.cur, tc.addr)
		if err != nil || w.Currency != tc.cur {
			t.Errorf("ParseWalletAs(%s, %s) = %+v, %v", tc.cur, tc.addr, w, err)
		}
	}
	if _, err := ParseWalletAs("LTC", "0xd882cfc20f52f2599d84b8e8d58c7fb62cfe344b"); !errors.Is(err, ErrInvalidWallet) {
		t.Errorf("ETH address as LTC: err = %v", err)
	}
}

// The EIP-55 test vector: the checksummed spelling is accepted, and a
// letter of another case is a checksum failure.
func TestEIP55(t *testing.T) {
	if got := "0x" + eip55("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"); got != "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" {
		t.Errorf("eip55 = %s", got)
	}
	if w, err := ParseWallet("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"); err != nil || !w.Checked {
		t.Errorf("the checksummed spelling: %+v, %v", w, err)
	}
	if _, err := ParseWallet("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"); !errors.Is(err, ErrInvalidWallet) {
		t.Errorf("one letter of the wrong case: err = %v", err)
	}
}
