package ident

import (
	"strings"

	"golang.org/x/crypto/sha3"
)

// ethereumAddress validates "0x" followed by 40 hex digits. EIP-55 hides a
// checksum in the case of the letters; it can only be checked when the
// address is written in mixed case, since all-lower and all-upper are the
// un-checksummed forms. checked reports whether a checksum was verified.
// The normal form is lower case: EIP-55 addresses compare case-insensitively.
func ethereumAddress(s string) (normal string, checked bool, err error) {
	if len(s) < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') {
		return "", false, ErrNotWallet
	}
	h := s[2:]
	if !isHex(h) {
		return "", false, ErrNotWallet
	}
	if len(h) != 40 {
		return "", false, errBech32Length
	}
	lower := strings.ToLower(h)
	if h == lower || h == strings.ToUpper(h) {
		return "0x" + lower, false, nil
	}
	if h != eip55(lower) {
		return "", false, errChecksum
	}
	return "0x" + lower, true, nil
}

// eip55 returns the checksummed spelling of 40 lower-case hex digits: a
// letter is upper case when the matching nibble of Keccak-256 of the
// lower-case ASCII address is 8 or more.
func eip55(lowerHex string) string {
	k := sha3.NewLegacyKeccak256()
	k.Write([]byte(lowerHex))
	sum := k.Sum(nil)
	out := []byte(lowerHex)
	for i, c := range out {
		nibble := sum[i/2] >> 4
		if i%2 == 1 {
			nibble = sum[i/2] & 0x0f
		}
		if c >= 'a' && nibble >= 8 {
			out[i] = c - 'a' + 'A'
		}
	}
	return string(out)
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return s != ""
}

// moneroChecksumOK checks the Keccak-256 checksum that ends a decoded Monero
// address.
func moneroChecksumOK(raw []byte) bool {
	if len(raw) < 5 {
		return false
	}
	k := sha3.NewLegacyKeccak256()
	k.Write(raw[:len(raw)-4])
	return string(k.Sum(nil)[:4]) == string(raw[len(raw)-4:])
}
