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

func TestDeriveKeyIsDeterministicAndSeparatedByPurpose(t *testing.T) {
	secret := []byte("abacus abdomen abdominal abide abiding ability ablaze able")
	k1, err := seal.DeriveKey(secret, "receipt")
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := seal.DeriveKey(secret, "receipt")
	k3, _ := seal.DeriveKey(secret, "session")
	if k1.Recipient().String() != k2.Recipient().String() {
		t.Fatal("same secret and purpose gave different keys")
	}
	if k1.Recipient().String() == k3.Recipient().String() {
		t.Fatal("different purposes gave the same key")
	}
	if !k1.Recipient().PostQuantum() {
		t.Fatal("derived keys should be post-quantum hybrid keys")
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
