package ident

import (
	"crypto/sha256"
	"encoding/binary"
	"math/bits"
)

// base58Alphabet is the Bitcoin alphabet; it leaves out 0, O, I and l so
// that an address copied by hand is less likely to be misread. Tron, Litecoin,
// Dash, Zcash transparent addresses and Monero all use the same alphabet.
const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

var base58Index = func() [256]int8 {
	var idx [256]int8
	for i := range idx {
		idx[i] = -1
	}
	for i := 0; i < len(base58Alphabet); i++ {
		idx[base58Alphabet[i]] = int8(i)
	}
	return idx
}()

// isBase58 reports whether every byte of s is in the Bitcoin alphabet.
func isBase58(s string) bool {
	for i := 0; i < len(s); i++ {
		if base58Index[s[i]] < 0 {
			return false
		}
	}
	return s != ""
}

// base58Decode decodes s as one big-endian number, keeping one leading zero
// byte per leading '1' as Bitcoin does. Inputs are capped at 128 characters:
// no address we recognise is longer, and the cap bounds the quadratic work a
// hostile input can cause.
func base58Decode(s string) ([]byte, bool) {
	if s == "" || len(s) > 128 {
		return nil, false
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	// log(58)/log(256) ≈ 0.733, so this many bytes always suffice.
	out := make([]byte, (len(s)-zeros)*733/1000+1)
	for i := zeros; i < len(s); i++ {
		carry := int(base58Index[s[i]])
		if carry < 0 {
			return nil, false
		}
		for j := len(out) - 1; j >= 0; j-- {
			carry += 58 * int(out[j])
			out[j] = byte(carry)
			carry >>= 8
		}
		if carry != 0 {
			return nil, false
		}
	}
	start := 0
	for start < len(out) && out[start] == 0 {
		start++
	}
	res := make([]byte, zeros+len(out)-start)
	copy(res[zeros:], out[start:])
	return res, true
}

// base58Check decodes a base58check string and verifies its four-byte
// double-SHA-256 checksum. It returns the version-and-payload bytes; shape is
// false when s is not base58 at all and sumOK is false when it is but the
// checksum does not match.
func base58Check(s string) (payload []byte, shape, sumOK bool) {
	raw, ok := base58Decode(s)
	if !ok || len(raw) < 5 {
		return nil, false, false
	}
	body, sum := raw[:len(raw)-4], raw[len(raw)-4:]
	h1 := sha256.Sum256(body)
	h2 := sha256.Sum256(h1[:])
	return body, true, string(h2[:4]) == string(sum)
}

// moneroBlockSizes maps the byte length of a block (0..8) to the number of
// base58 characters Monero writes for it; Monero encodes 8-byte blocks
// separately so that addresses have a fixed length.
var moneroBlockSizes = [9]int{0, 2, 3, 5, 6, 7, 9, 10, 11}

// moneroBase58Decode decodes Monero's block-wise base58.
func moneroBase58Decode(s string) ([]byte, bool) {
	if len(s) > 256 {
		return nil, false
	}
	full, rest := len(s)/11, len(s)%11
	restBytes := -1
	for n, size := range moneroBlockSizes {
		if size == rest {
			restBytes = n
		}
	}
	if restBytes < 0 {
		return nil, false
	}
	out := make([]byte, 0, full*8+restBytes)
	for i := 0; i <= full; i++ {
		chunk, n := s[i*11:min(len(s), i*11+11)], 8
		if i == full {
			n = restBytes
		}
		if n == 0 {
			break
		}
		var v uint64
		for j := 0; j < len(chunk); j++ {
			d := base58Index[chunk[j]]
			if d < 0 {
				return nil, false
			}
			hi, lo := bits.Mul64(v, 58)
			lo, carry := bits.Add64(lo, uint64(d), 0)
			if hi != 0 || carry != 0 {
				return nil, false
			}
			v = lo
		}
		if n < 8 && v>>(8*uint(n)) != 0 {
			return nil, false
		}
		var buf [8]byte
		binary.BigEndian.PutUint64(buf[:], v)
		out = append(out, buf[8-n:]...)
	}
	return out, true
}
