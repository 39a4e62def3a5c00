package auth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tipline/internal/testenv"
)

// cheap keeps tests fast; the defaults are exercised by the benchmark and
// one round trip.
var cheap = Params{Time: 1, MemoryKiB: 64, Threads: 1}

func TestPasswordRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, params := range []Params{cheap, DefaultParams} {
		h := NewHasher(params, 2)
		rec, secret, err := h.NewPassword(ctx, "correct horse battery staple")
		if err != nil {
			t.Fatal(err)
		}
		if len(secret) != 32 || len(rec.Verifier) != 32 || len(rec.Salt) != 16 {
			t.Fatalf("sizes: secret %d, verifier %d, salt %d", len(secret), len(rec.Verifier), len(rec.Salt))
		}
		if bytes.Equal(secret, rec.Verifier) {
			t.Fatal("wrapping secret equals verifier")
		}
		stored, err := ParsePassword(rec.String())
		if err != nil {
			t.Fatal(err)
		}
		got, ok, err := h.Check(ctx, "correct horse battery staple", stored)
		if err != nil || !ok || !bytes.Equal(got, secret) {
			t.Fatalf("Check(right) = %x, %v, %v; want %x, true, nil", got, ok, err, secret)
		}
		got, ok, err = h.Check(ctx, "correct horse battery stapler", stored)
		if err != nil || ok || got != nil {
			t.Fatalf("Check(wrong) = %x, %v, %v; want nil, false, nil", got, ok, err)
		}
	}
}

func TestPasswordSaltsDiffer(t *testing.T) {
	h := NewHasher(cheap, 1)
	a, sa, _ := h.NewPassword(context.Background(), "same password twice")
	b, sb, _ := h.NewPassword(context.Background(), "same password twice")
	if bytes.Equal(a.Salt, b.Salt) || bytes.Equal(a.Verifier, b.Verifier) || bytes.Equal(sa, sb) {
		t.Fatal("two records of one password share salt, verifier or secret")
	}
}

func TestPasswordUnicodeNormalisation(t *testing.T) {
	h := NewHasher(cheap, 1)
	ctx := context.Background()
	// "한국어 비밀번호입니다" as precomposed syllables, and as conjoining jamo
	// (what some systems produce); and full-width vs ASCII Latin.
	composed := "한국어 비밀번호입니다"
	decomposed := "\u1112\u1161\u11ab\u1100\u116e\u11a8\u110b\u1165 \u1107\u1175\u1106\u1175\u11af\u1107\u1165\u11ab\u1112\u1169\u110b\u1175\u11b8\u1102\u1175\u1103\u1161"
	if composed == decomposed {
		t.Fatal("test strings should differ in bytes")
	}
	for _, tc := range []struct{ set, login string }{
		{composed, decomposed},
		{"ｔｉｐｌｉｎｅ ｄｅｓｋ", "tipline desk"},
	} {
		rec, secret, err := h.NewPassword(ctx, tc.set)
		if err != nil {
			t.Fatal(err)
		}
		got, ok, err := h.Check(ctx, tc.login, rec)
		if err != nil || !ok || !bytes.Equal(got, secret) {
			t.Errorf("%q did not match %q after normalisation", tc.login, tc.set)
		}
	}
}

// The record's verifier is the first half of a 64-byte argon2id tag, and
// the wrapping secret the second half. The expected tag was computed with
// the reference implementation: echo -n password | argon2 somesaltsomesalt
// -id -t 1 -k 64 -p 1 -l 64 -e. (It is not what -l 32 prints: argon2's tag
// depends on its length, so these records are for this package only.)
func TestPasswordKnownAnswer(t *testing.T) {
	const tag = "NzVEcDpW21H9PvefBoTXmahBe4H4ppq4FEvchbh2EgRn1W2LTol/EnFJyw/1Gcdisu4edLeffWeyldYOADIXcw"
	want, _ := base64.RawStdEncoding.DecodeString(tag)
	rec := Password{Params: Params{Time: 1, MemoryKiB: 64, Threads: 1}, Salt: []byte("somesaltsomesalt"), Verifier: want[:32]}
	secret, ok, err := NewHasher(cheap, 1).Check(context.Background(), "password", rec)
	if err != nil || !ok || !bytes.Equal(secret, want[32:]) {
		t.Fatalf("Check = %x, %v, %v; want %x, true, nil", secret, ok, err, want[32:])
	}
}

// TestPasswordMatchesReferenceTool cross-checks our derivation against the
// reference argon2 command, when it is installed, at several parameters.
func TestPasswordMatchesReferenceTool(t *testing.T) {
	argon2 := testenv.Need(t, "argon2")
	h := NewHasher(cheap, 1)
	for _, p := range []Params{{1, 64, 1}, {2, 256, 2}, {3, 1024, 4}} {
		const password, salt = "비밀번호 and a passphrase", "tipline-salt-0123"
		cmd := exec.Command(argon2, salt, "-id", "-l", "64", "-r",
			"-t", strconv.Itoa(int(p.Time)), "-k", strconv.Itoa(int(p.MemoryKiB)), "-p", strconv.Itoa(int(p.Threads)))
		cmd.Stdin = strings.NewReader(password)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("argon2: %v", err)
		}
		key, err := h.hash(context.Background(), password, []byte(salt), p)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := hex.EncodeToString(key), strings.TrimSpace(string(out)); got != want {
			t.Errorf("%+v: we derive %s, argon2 says %s", p, got, want)
		}
	}
}

func TestCheckRefusesUnusableRecord(t *testing.T) {
	h := NewHasher(cheap, 1)
	good, _, _ := h.NewPassword(context.Background(), "a perfectly fine password")
	for name, rec := range map[string]Password{
		"huge memory":   {Params: Params{Time: 1, MemoryKiB: 1<<20 + 1, Threads: 1}, Salt: good.Salt, Verifier: good.Verifier},
		"zero time":     {Params: Params{Time: 0, MemoryKiB: 64, Threads: 1}, Salt: good.Salt, Verifier: good.Verifier},
		"short salt":    {Params: cheap, Salt: good.Salt[:4], Verifier: good.Verifier},
		"long verifier": {Params: cheap, Salt: good.Salt, Verifier: append(good.Verifier, 0)},
		"zero record":   {},
	} {
		if _, ok, err := h.Check(context.Background(), "a perfectly fine password", rec); err == nil || ok {
			t.Errorf("%s: Check = %v, %v; want an error", name, ok, err)
		}
	}
}

func TestNeedsRehash(t *testing.T) {
	old := NewHasher(cheap, 1)
	rec, _, _ := old.NewPassword(context.Background(), "a perfectly fine password")
	if old.NeedsRehash(rec) {
		t.Error("a record made with the hasher's own parameters needs no rehash")
	}
	if !NewHasher(Params{Time: 2, MemoryKiB: 64, Threads: 1}, 1).NeedsRehash(rec) {
		t.Error("a record made with other parameters needs a rehash")
	}
}

func TestParamsValidate(t *testing.T) {
	for _, tc := range []struct {
		p  Params
		ok bool
	}{
		{DefaultParams, true},
		{cheap, true},
		{Params{Time: 0, MemoryKiB: 64, Threads: 1}, false},
		{Params{Time: 65, MemoryKiB: 64, Threads: 1}, false},
		{Params{Time: 1, MemoryKiB: 64, Threads: 0}, false},
		{Params{Time: 1, MemoryKiB: 15, Threads: 2}, false},
		{Params{Time: 1, MemoryKiB: 1<<20 + 1, Threads: 1}, false},
	} {
		if err := tc.p.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v.Validate() = %v, want ok %v", tc.p, err, tc.ok)
		}
	}
	if NewHasher(Params{}, 0).params != DefaultParams {
		t.Error("zero Params should mean DefaultParams")
	}
}

// TestHasherBoundsConcurrency floods a Hasher allowing 3 derivations with 20
// logins and counts, through the derive hook, how many run at once.
func TestHasherBoundsConcurrency(t *testing.T) {
	const limit = 3
	h := NewHasher(cheap, limit)
	var running, peak atomic.Int32
	h.derive = func(password, salt []byte, p Params, n uint32) []byte {
		now := running.Add(1)
		for {
			old := peak.Load()
			if now <= old || peak.CompareAndSwap(old, now) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		running.Add(-1)
		return make([]byte, n)
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			// Those that find the queue full are refused (see below).
			if _, _, err := h.NewPassword(context.Background(), "flood of logins"); err != nil && !errors.Is(err, ErrBusy) {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := peak.Load(); got != limit {
		t.Fatalf("peak concurrent derivations = %d, want %d", got, limit)
	}
}

func TestHasherWaitHonoursContext(t *testing.T) {
	h := NewHasher(cheap, 1)
	started, release := make(chan struct{}), make(chan struct{})
	h.derive = func(password, salt []byte, p Params, n uint32) []byte {
		close(started)
		<-release
		return make([]byte, n)
	}
	go h.NewPassword(context.Background(), "holds the only slot")
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, _, err := h.Check(ctx, "queued behind it", Password{Params: cheap, Salt: make([]byte, 16), Verifier: make([]byte, 32)})
	close(release)
	if !errors.Is(err, ErrBusy) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrBusy wrapping context.DeadlineExceeded", err)
	}
}

// A flood of logins cannot make a real one wait behind it: once every slot
// is busy and QueuePerSlot logins per slot wait, the next is refused at once.
func TestHasherRefusesFastWhenQueueFull(t *testing.T) {
	h := NewHasher(cheap, 1)
	release := make(chan struct{})
	h.derive = func(password, salt []byte, p Params, n uint32) []byte {
		<-release
		return make([]byte, n)
	}
	done := make(chan error, 1+QueuePerSlot)
	for range 1 + QueuePerSlot {
		go func() { _, _, err := h.NewPassword(context.Background(), "one of the flood"); done <- err }()
	}
	// Wait until the running one and the queued ones hold their places.
	for len(h.queue) < cap(h.queue) {
		runtime.Gosched()
	}
	start := time.Now()
	_, _, err := h.Check(context.Background(), "a real login", Password{Params: cheap, Salt: make([]byte, 16), Verifier: make([]byte, 32)})
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("err = %v, want ErrBusy", err)
	}
	if waited := time.Since(start); waited > time.Second {
		t.Errorf("refused after %v, want at once", waited)
	}
	close(release)
	for range 1 + QueuePerSlot {
		if err := <-done; err != nil {
			t.Errorf("a queued login failed: %v", err)
		}
	}
}

// BenchmarkCheck measures one login's password check at DefaultParams.
func BenchmarkCheck(b *testing.B) {
	h := NewHasher(DefaultParams, 1)
	rec, _, err := h.NewPassword(context.Background(), "correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok, _ := h.Check(context.Background(), "correct horse battery staple", rec); !ok {
			b.Fatal("check failed")
		}
	}
	b.ReportMetric(float64(DefaultParams.MemoryKiB)/1024, "MiB/login")
}
