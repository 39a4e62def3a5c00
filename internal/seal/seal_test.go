package seal_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"tipline/internal/seal"
)

func TestSealAndOpenStream(t *testing.T) {
	key, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	plaintext := bytes.Repeat([]byte("ship-to-ship transfer at night "), 10000)
	var sealed bytes.Buffer
	w, err := seal.Seal(&sealed, key.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(plaintext); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed.Bytes(), []byte("ship-to-ship")) {
		t.Fatal("sealed output contains plaintext")
	}
	r, err := seal.Open(bytes.NewReader(sealed.Bytes()), key)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, plaintext) {
		t.Fatalf("round trip failed: %v", err)
	}

	ra, n, err := seal.OpenAt(bytes.NewReader(sealed.Bytes()), int64(sealed.Len()), key)
	if err != nil || n != int64(len(plaintext)) {
		t.Fatalf("OpenAt: n=%d err=%v", n, err)
	}
	part := make([]byte, 12)
	if _, err := ra.ReadAt(part, 31*5000); err != nil || string(part) != "ship-to-ship" {
		t.Fatalf("ReadAt gave %q, %v", part, err)
	}
}

func TestOpenWithWrongKeyFails(t *testing.T) {
	a, _ := seal.NewKey()
	b, _ := seal.NewKey()
	sealed, err := seal.SealBytes([]byte("secret"), a.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seal.OpenBytes(sealed, b); !errors.Is(err, seal.ErrCannotOpen) {
		t.Fatalf("want ErrCannotOpen, got %v", err)
	}
}

func TestWrapToSecretOpensOnlyWithTheSameSecretAndPurpose(t *testing.T) {
	tipKey, _ := seal.NewKey()
	secret := []byte("abacus abdomen abdominal abide abiding ability ablaze able")
	wrapped, err := seal.WrapToSecret(tipKey, secret, "receipt")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(wrapped, []byte(tipKey.String())) || bytes.Contains(wrapped, secret) {
		t.Fatal("wrapped key shows the key or the secret in the clear")
	}
	got, err := seal.UnwrapWithSecret(wrapped, secret, "receipt")
	if err != nil || got.String() != tipKey.String() {
		t.Fatalf("the same secret and purpose did not open the key: %v", err)
	}
	other := append([]byte(nil), secret...)
	other[0] ^= 1
	if _, err := seal.UnwrapWithSecret(wrapped, other, "receipt"); !errors.Is(err, seal.ErrCannotOpen) {
		t.Fatalf("another secret: want ErrCannotOpen, got %v", err)
	}
	if _, err := seal.UnwrapWithSecret(wrapped, secret, "source session"); !errors.Is(err, seal.ErrCannotOpen) {
		t.Fatalf("another purpose: want ErrCannotOpen, got %v", err)
	}
	again, _ := seal.WrapToSecret(tipKey, secret, "receipt")
	if bytes.Equal(again, wrapped) {
		t.Fatal("two wraps of the same key under the same secret are identical: the salt is missing")
	}
}

func TestSealedWithTheKeyOpensWithTheKeyOnly(t *testing.T) {
	key, _ := seal.NewKey()
	sealed, err := seal.SealBytesWithKey([]byte("ship-to-ship transfer at night"), key)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("ship-to-ship")) {
		t.Fatal("sealed output contains plaintext")
	}
	// A holder who unwrapped the key, as the desk does, opens it like
	// anything sealed to the recipient.
	holder, _ := seal.NewKey()
	wrapped, _ := seal.Wrap(key, holder.Recipient())
	unwrapped, err := seal.Unwrap(wrapped, holder)
	if err != nil {
		t.Fatal(err)
	}
	got, err := seal.OpenBytes(sealed, unwrapped)
	if err != nil || string(got) != "ship-to-ship transfer at night" {
		t.Fatalf("the unwrapped key did not open it: %q, %v", got, err)
	}
	ra, n, err := seal.OpenAt(bytes.NewReader(sealed), int64(len(sealed)), unwrapped)
	if err != nil || n != int64(len("ship-to-ship transfer at night")) {
		t.Fatalf("OpenAt: n=%d err=%v", n, err)
	}
	part := make([]byte, 8)
	if _, err := ra.ReadAt(part, 13); err != nil || string(part) != "transfer" {
		t.Fatalf("ReadAt gave %q, %v", part, err)
	}
	if _, err := seal.OpenBytes(sealed, holder); !errors.Is(err, seal.ErrCannotOpen) {
		t.Fatalf("another key: want ErrCannotOpen, got %v", err)
	}
}

func TestUnwrapWithSecretRefusesAnotherKindOfWrap(t *testing.T) {
	tipKey, _ := seal.NewKey()
	holder, _ := seal.NewKey()
	wrapped, _ := seal.Wrap(tipKey, holder.Recipient())
	if _, err := seal.UnwrapWithSecret(wrapped, make([]byte, 32), "receipt"); !errors.Is(err, seal.ErrCannotOpen) {
		t.Fatalf("want ErrCannotOpen, got %v", err)
	}
}

func TestWrapUnwrapToClassicAndHybridRecipients(t *testing.T) {
	tipKey, _ := seal.NewKey()
	// An operator's offline X25519 recovery key, as age-keygen makes it.
	classic, err := seal.ParseKey("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX")
	if err != nil {
		t.Fatal(err)
	}
	hybrid, _ := seal.NewKey()
	for name, holder := range map[string]*seal.Key{"classic": classic, "hybrid": hybrid} {
		t.Run(name, func(t *testing.T) {
			wrapped, err := seal.Wrap(tipKey, holder.Recipient())
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(wrapped, []byte(tipKey.String())) {
				t.Fatal("wrapped key contains the key in the clear")
			}
			got, err := seal.Unwrap(wrapped, holder)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tipKey.String() {
				t.Fatal("unwrapped a different key")
			}
		})
	}
}

func TestParseRecipientRejectsGarbageWithAClearError(t *testing.T) {
	_, err := seal.ParseRecipient("ssh-ed25519 AAAA")
	if err == nil || !strings.Contains(err.Error(), "age1") {
		t.Fatalf("want an error that names the expected form, got %v", err)
	}
}

// The cryptography of one report at intake, one operation at a time: go test
// -run '^$' -bench . ./internal/seal/
func BenchmarkNewKey(b *testing.B) {
	for b.Loop() {
		if _, err := seal.NewKey(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSealReportToHybridKey(b *testing.B) {
	key, _ := seal.NewKey()
	report := bytes.Repeat([]byte("x"), 500)
	for b.Loop() {
		if _, err := seal.SealBytes(report, key.Recipient()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSealReportWithKey(b *testing.B) {
	key, _ := seal.NewKey()
	report := bytes.Repeat([]byte("x"), 500)
	for b.Loop() {
		if _, err := seal.SealBytesWithKey(report, key); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrapToSecret(b *testing.B) {
	key, _ := seal.NewKey()
	secret := make([]byte, 32)
	for b.Loop() {
		if _, err := seal.WrapToSecret(key, secret, "receipt"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnwrapWithSecret(b *testing.B) {
	key, _ := seal.NewKey()
	secret := make([]byte, 32)
	wrapped, _ := seal.WrapToSecret(key, secret, "receipt")
	for b.Loop() {
		if _, err := seal.UnwrapWithSecret(wrapped, secret, "receipt"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSealToSecretOpensOnlyWithTheSameSecretAndPurpose(t *testing.T) {
	secret := bytes.Repeat([]byte{7}, 32)
	value := []byte("an onion service's secret seed, 32 bytes long..")
	sealed, err := seal.SealToSecret(value, secret, "onion service key")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, value) {
		t.Fatal("the value is in the clear")
	}
	if got, err := seal.OpenWithSecret(sealed, secret, "onion service key"); err != nil || !bytes.Equal(got, value) {
		t.Fatalf("the same secret and purpose: %v", err)
	}
	if _, err := seal.OpenWithSecret(sealed, secret, "another purpose"); !errors.Is(err, seal.ErrCannotOpen) {
		t.Fatalf("another purpose: want ErrCannotOpen, got %v", err)
	}
	other := bytes.Repeat([]byte{8}, 32)
	if _, err := seal.OpenWithSecret(sealed, other, "onion service key"); !errors.Is(err, seal.ErrCannotOpen) {
		t.Fatalf("another secret: want ErrCannotOpen, got %v", err)
	}
}

// What SealTo seals opens with each of its recipients' keys and no other;
// classic and post-quantum recipients are not mixed.
func TestSealToSeveralRecipients(t *testing.T) {
	a, _ := seal.NewKey()
	b, _ := seal.NewKey()
	other, _ := seal.NewKey()
	var buf bytes.Buffer
	w, err := seal.SealTo(&buf, a.Recipient(), b.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	plain := bytes.Repeat([]byte("backup "), 200_000)
	w.Write(plain)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, k := range []*seal.Key{a, b} {
		r, err := seal.Open(bytes.NewReader(buf.Bytes()), k)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("a recipient's key does not open it whole: %v", err)
		}
	}
	if _, err := seal.Open(bytes.NewReader(buf.Bytes()), other); !errors.Is(err, seal.ErrCannotOpen) {
		t.Fatalf("another key: %v", err)
	}

	classic, err := seal.ParseRecipient("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seal.SealTo(io.Discard, a.Recipient(), classic); err == nil || !strings.Contains(err.Error(), "post-quantum") {
		t.Fatalf("a classic recipient mixed with a post-quantum one: %v", err)
	}
	if _, err := seal.SealTo(io.Discard); err == nil {
		t.Fatal("sealed to nobody")
	}
}
