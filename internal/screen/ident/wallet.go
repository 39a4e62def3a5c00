package ident

import (
	"fmt"
	"slices"
	"strings"
)

// Wallet is a validated cryptocurrency address.
type Wallet struct {
	// Currency is the code OFAC writes before the address ("XBT", "ETH",
	// "LTC", "TRX", "BCH", "XMR", "ZEC", "DASH", "BTG", "XVG"…). ParseWallet
	// guesses it from the address form; ParseWalletAs keeps the caller's.
	Currency string
	// Also lists other currencies whose addresses share this form: an
	// Ethereum-form address may hold ETC, USDT or USDC as well; a Bitcoin
	// legacy address is also a valid BCH or BSV address.
	Also []string
	// Address is the form to compare and store: bech32 and cashaddr in
	// lower case without a URI prefix, Ethereum in lower case with 0x,
	// base58 forms exactly as written (base58 is case-sensitive).
	Address string
	// Format names the encoding, e.g. "p2pkh", "p2sh", "segwit-v0",
	// "segwit-v1", "eip55", "cashaddr", "monero".
	Format string
	// Checked is false only when the form carries no checksum to verify:
	// an all-lower-case or all-upper-case Ethereum address.
	Checked bool
}

func (w Wallet) String() string { return w.Currency + " " + w.Address }

// Matches reports whether w can be an address of the given currency code.
func (w Wallet) Matches(currency string) bool {
	currency = strings.ToUpper(strings.TrimSpace(currency))
	return currency == w.Currency || slices.Contains(w.Also, currency)
}

// Shared address forms. Token codes are listed where OFAC writes them
// against plain chain addresses.
var (
	alsoEthereum = []string{"ETH", "ETC", "USDT", "USDC", "BSC", "BNB", "ARB", "MATIC"}
	alsoTron     = []string{"TRX", "USDT", "USDC"}
	alsoBitcoin  = []string{"XBT", "BCH", "BSV", "USDT"} // USDT on the Omni layer
)

type base58Version struct {
	currency, format string
	also             []string
}

// base58Versions maps the version byte(s) of a base58check address with a
// 20-byte hash to its currency. Bitcoin Cash and Bitcoin SV kept Bitcoin's
// legacy versions, and Verge shares 0x1e with Dogecoin.
var base58Versions = map[string]base58Version{
	"\x00":     {"XBT", "p2pkh", alsoBitcoin},
	"\x05":     {"XBT", "p2sh", append(alsoBitcoin, "LTC")},
	"\x30":     {"LTC", "p2pkh", nil},
	"\x32":     {"LTC", "p2sh", nil},
	"\x41":     {"TRX", "base58check", alsoTron},
	"\x4c":     {"DASH", "p2pkh", nil},
	"\x10":     {"DASH", "p2sh", nil},
	"\x26":     {"BTG", "p2pkh", nil},
	"\x17":     {"BTG", "p2sh", nil},
	"\x1e":     {"XVG", "p2pkh", []string{"XVG", "DOGE"}},
	"\x1c\xb8": {"ZEC", "p2pkh", nil},
	"\x1c\xbd": {"ZEC", "p2sh", nil},
}

// base58Guess names the currency an address probably belongs to from its
// first characters, so that a checksum failure can say "invalid XBT
// address" rather than merely "invalid".
func base58Guess(s string) string {
	switch {
	case strings.HasPrefix(s, "t1") || strings.HasPrefix(s, "t3"):
		return "ZEC"
	case s[0] == '1' || s[0] == '3':
		return "XBT"
	case s[0] == 'L' || s[0] == 'M':
		return "LTC"
	case s[0] == 'T':
		return "TRX"
	case s[0] == 'X' || s[0] == '7':
		return "DASH"
	case s[0] == 'G':
		return "BTG"
	case s[0] == 'D':
		return "XVG"
	}
	return ""
}

// uriSchemes maps payment-URI schemes (BIP-21, EIP-681 and their clones)
// to the currency they imply.
var uriSchemes = map[string]string{
	"bitcoin": "XBT", "ethereum": "ETH", "litecoin": "LTC", "bitcoincash": "BCH",
	"monero": "XMR", "zcash": "ZEC", "dash": "DASH", "tron": "TRX",
}

// stripURI turns "bitcoin:ADDR?amount=1" or "ethereum:0x…@1/transfer" into
// the bare address. cashaddr keeps its prefix because the checksum covers it.
func stripURI(s string) string {
	i := strings.IndexByte(s, ':')
	if i < 0 {
		return s
	}
	scheme := strings.ToLower(s[:i])
	if _, ok := uriSchemes[scheme]; !ok {
		return s
	}
	rest := s[i+1:]
	rest = strings.TrimPrefix(rest, "//")
	if j := strings.IndexAny(rest, "?@/#"); j >= 0 {
		rest = rest[:j]
	}
	if scheme == "bitcoincash" {
		return "bitcoincash:" + rest
	}
	return rest
}

// ParseWallet validates a cryptocurrency address, bare or as a payment URI
// ("bitcoin:ADDR?amount=…", "ethereum:0x…@1"), and guesses its currency from
// its form. It checks base58check (Bitcoin, Litecoin, Tron, Dash, Zcash
// transparent, Bitcoin Gold, Verge), bech32/bech32m segwit (bc1, ltc1),
// cashaddr (Bitcoin Cash), EIP-55 (Ethereum, when mixed case) and Monero's
// Keccak checksum. Errors wrap ErrNotWallet when the input looks like no
// address, or are an *AddressError wrapping ErrInvalidWallet when it looks
// like one but fails.
func ParseWallet(s string) (Wallet, error) {
	s = stripURI(strings.TrimSpace(s))
	w, guess, err := parseWallet(s)
	if err == nil {
		return w, nil
	}
	if guess == "" {
		return Wallet{}, fmt.Errorf("%q: %w", truncate(s, 120), ErrNotWallet)
	}
	return Wallet{}, &AddressError{Currency: guess, Address: s, Err: err}
}

// ParseWalletAs validates an address written against a currency code, as
// the lists do ("Digital Currency Address - ETC 0x…"). The address must be
// of a form that currency uses; Currency in the result is the given code.
func ParseWalletAs(currency, s string) (Wallet, error) {
	w, err := ParseWallet(s)
	if err != nil {
		return Wallet{}, err
	}
	currency = strings.ToUpper(strings.TrimSpace(currency))
	if !w.Matches(currency) {
		return Wallet{}, &AddressError{Currency: currency, Address: s,
			Err: fmt.Errorf("%w: a %s address written as %s", ErrInvalidWallet, w.Currency, currency)}
	}
	w.Currency = currency
	return w, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// parseWallet returns the wallet, or the currency the shape suggests (""
// for none) with the reason it failed.
func parseWallet(s string) (Wallet, string, error) {
	lower := strings.ToLower(s)
	switch {
	case s == "":
		return Wallet{}, "", ErrNotWallet
	case strings.HasPrefix(lower, "bc1"), strings.HasPrefix(lower, "ltc1"):
		cur, hrp := "XBT", "bc"
		if lower[0] == 'l' {
			cur, hrp = "LTC", "ltc"
		}
		v, err := segwitDecode(hrp, s)
		if err != nil {
			return Wallet{}, cur, err
		}
		return Wallet{Currency: cur, Address: lower, Format: fmt.Sprintf("segwit-v%d", v), Checked: true}, "", nil
	case strings.HasPrefix(lower, "zs1"):
		hrp, _, c, err := bech32Decode(s, 90)
		if err == nil && (hrp != "zs" || c != bech32Const) {
			err = errBech32Program
		}
		if err != nil {
			return Wallet{}, "ZEC", err
		}
		return Wallet{Currency: "ZEC", Address: lower, Format: "sapling", Checked: true}, "", nil
	case strings.HasPrefix(lower, "bitcoincash:") || (len(s) == 42 && (lower[0] == 'q' || lower[0] == 'p')):
		addr, err := cashaddrDecode(s)
		if err != nil {
			return Wallet{}, "BCH", err
		}
		return Wallet{Currency: "BCH", Also: []string{"BCH"}, Address: addr, Format: "cashaddr", Checked: true}, "", nil
	case strings.HasPrefix(lower, "0x"):
		addr, checked, err := ethereumAddress(s)
		if err == ErrNotWallet {
			return Wallet{}, "", err
		}
		if err != nil {
			return Wallet{}, "ETH", err
		}
		return Wallet{Currency: "ETH", Also: alsoEthereum, Address: addr, Format: "eip55", Checked: checked}, "", nil
	case (len(s) == 95 || len(s) == 106) && (s[0] == '4' || s[0] == '8') && isBase58(s):
		raw, ok := moneroBase58Decode(s)
		if !ok || !moneroChecksumOK(raw) {
			return Wallet{}, "XMR", errChecksum
		}
		// Net bytes 18 (standard), 19 (integrated) and 42 (subaddress).
		if raw[0] != 18 && raw[0] != 19 && raw[0] != 42 {
			return Wallet{}, "XMR", errVersion
		}
		return Wallet{Currency: "XMR", Address: s, Format: "monero", Checked: true}, "", nil
	case len(s) >= 25 && len(s) <= 35 && isBase58(s):
		return parseBase58Wallet(s)
	}
	return Wallet{}, "", ErrNotWallet
}

func parseBase58Wallet(s string) (Wallet, string, error) {
	guess := base58Guess(s)
	body, shape, sumOK := base58Check(s)
	if !shape {
		return Wallet{}, guess, errBech32Length
	}
	if !sumOK {
		return Wallet{}, guess, errChecksum
	}
	for _, n := range []int{1, 2} {
		if len(body) != n+20 {
			continue
		}
		if v, ok := base58Versions[string(body[:n])]; ok {
			return Wallet{Currency: v.currency, Also: v.also, Address: s, Format: v.format, Checked: true}, "", nil
		}
	}
	if guess == "" {
		// A valid checksum on an unknown version: some other coin's
		// address. Say what it is not rather than guess.
		guess = "unknown"
	}
	return Wallet{}, guess, errVersion
}
