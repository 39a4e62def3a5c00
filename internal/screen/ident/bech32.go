package ident

import "strings"

// The bech32 family (BIP-173, BIP-350) and Bitcoin Cash's cashaddr share one
// alphabet but differ in their checksum polynomials and constants.
const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

const (
	bech32Const  = 1          // BIP-173, segwit version 0
	bech32mConst = 0x2bc830a3 // BIP-350, segwit version 1 and later
)

var bech32Index = func() [256]int8 {
	var idx [256]int8
	for i := range idx {
		idx[i] = -1
	}
	for i := 0; i < len(bech32Charset); i++ {
		idx[bech32Charset[i]] = int8(i)
	}
	return idx
}()

func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := range 5 {
			if (top>>uint(i))&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

// bech32Decode splits s into its human-readable part and 5-bit data (without
// the checksum) and reports which checksum constant matched. maxLen is 90
// for Bitcoin (BIP-173); other chains may pass more.
func bech32Decode(s string, maxLen int) (hrp string, data []byte, constant uint32, err error) {
	if len(s) > maxLen || len(s) < 8 {
		return "", nil, 0, errBech32Length
	}
	lower, upper := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 33 || c > 126 {
			return "", nil, 0, errBech32Char
		}
		lower = lower || (c >= 'a' && c <= 'z')
		upper = upper || (c >= 'A' && c <= 'Z')
	}
	// BIP-173: a decoder must refuse mixed case, which is how a one-letter
	// typo in case is caught before the checksum is even looked at.
	if lower && upper {
		return "", nil, 0, errBech32MixedCase
	}
	s = strings.ToLower(s)
	pos := strings.LastIndexByte(s, '1')
	if pos < 1 || pos+7 > len(s) {
		return "", nil, 0, errBech32Separator
	}
	hrp = s[:pos]
	values := make([]byte, 0, len(hrp)*2+1+len(s)-pos-1)
	for i := 0; i < len(hrp); i++ {
		values = append(values, hrp[i]>>5)
	}
	values = append(values, 0)
	for i := 0; i < len(hrp); i++ {
		values = append(values, hrp[i]&31)
	}
	for i := pos + 1; i < len(s); i++ {
		d := bech32Index[s[i]]
		if d < 0 {
			return "", nil, 0, errBech32Char
		}
		values = append(values, byte(d))
		data = append(data, byte(d))
	}
	constant = bech32Polymod(values)
	if constant != bech32Const && constant != bech32mConst {
		return hrp, nil, 0, errChecksum
	}
	return hrp, data[:len(data)-6], constant, nil
}

// convertBits regroups 5-bit values into bytes, refusing the non-zero or
// over-long padding that BIP-173 forbids.
func convertBits(data []byte, from, to uint, pad bool) ([]byte, bool) {
	var acc, nbits uint
	maxv := uint(1)<<to - 1
	out := make([]byte, 0, len(data)*int(from)/int(to)+1)
	for _, v := range data {
		if uint(v)>>from != 0 {
			return nil, false
		}
		acc = acc<<from | uint(v)
		nbits += from
		for nbits >= to {
			nbits -= to
			out = append(out, byte(acc>>nbits&maxv))
		}
	}
	if pad {
		if nbits > 0 {
			out = append(out, byte(acc<<(to-nbits)&maxv))
		}
	} else if nbits >= from || acc<<(to-nbits)&maxv != 0 {
		return nil, false
	}
	return out, true
}

// segwitDecode validates a segregated-witness address for the given
// human-readable part and returns the witness version; the checksum variant
// must fit the version (bech32 for v0, bech32m for v1+), per BIP-350.
func segwitDecode(wantHRP, s string) (version int, err error) {
	hrp, data, constant, err := bech32Decode(s, 90)
	if err != nil {
		return 0, err
	}
	if hrp != wantHRP || len(data) < 1 {
		return 0, errBech32Program
	}
	version = int(data[0])
	prog, ok := convertBits(data[1:], 5, 8, false)
	if version > 16 || !ok || len(prog) < 2 || len(prog) > 40 {
		return 0, errBech32Program
	}
	if version == 0 && len(prog) != 20 && len(prog) != 32 {
		return 0, errBech32Program
	}
	if (version == 0) != (constant == bech32Const) {
		return 0, errChecksum
	}
	return version, nil
}

// cashaddrPolymod is the 40-bit BCH code of the cashaddr specification.
func cashaddrPolymod(values []byte) uint64 {
	gen := [5]uint64{0x98f2bc8e61, 0x79b76d99e2, 0xf33e5fb3c4, 0xae2eabe2a8, 0x1e4f43e470}
	c := uint64(1)
	for _, d := range values {
		c0 := c >> 35
		c = (c&0x07ffffffff)<<5 ^ uint64(d)
		for i := range 5 {
			if (c0>>uint(i))&1 == 1 {
				c ^= gen[i]
			}
		}
	}
	return c ^ 1
}

// cashaddrDecode validates a Bitcoin Cash address, with or without its
// "bitcoincash:" prefix (the checksum covers the prefix even when it is not
// written), and returns the bare lower-case payload.
func cashaddrDecode(s string) (string, error) {
	prefix, body := "bitcoincash", s
	if i := strings.IndexByte(s, ':'); i >= 0 {
		prefix, body = strings.ToLower(s[:i]), s[i+1:]
	}
	if prefix != "bitcoincash" {
		return "", errBech32Program
	}
	if body != strings.ToLower(body) && body != strings.ToUpper(body) {
		return "", errBech32MixedCase
	}
	body = strings.ToLower(body)
	// 160-bit hashes only: 34 payload characters plus an 8-character checksum.
	if len(body) != 42 || (body[0] != 'q' && body[0] != 'p') {
		return "", errBech32Length
	}
	values := make([]byte, 0, len(prefix)+1+len(body))
	for i := 0; i < len(prefix); i++ {
		values = append(values, prefix[i]&31)
	}
	values = append(values, 0)
	for i := 0; i < len(body); i++ {
		d := bech32Index[body[i]]
		if d < 0 {
			return "", errBech32Char
		}
		values = append(values, byte(d))
	}
	if cashaddrPolymod(values) != 0 {
		return "", errChecksum
	}
	return body, nil
}
