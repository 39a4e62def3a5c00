package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// Two real servers on one PostgreSQL act as one tip line: a session started
// on one works on the other; a change of an offer's recipients on one, and a
// list imported by the CLI, are in force on both within two seconds; wrong
// desk codes on one slow the next attempt on the other; wrong receipts on
// both pass one gate; the sources' budget is spent once for both; and the
// audit chain both write stays one.
func TestSeveralServersActAsOne(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	backends := storetest.Backends(t)
	if len(backends) < 2 {
		t.Skip("needs PostgreSQL: run through scripts/test")
	}
	b := backends[1]
	bin := buildTipline(t)
	args := []string{"--data", b.DataDir, "--db", b.DSN}
	if out, err := exec.Command(bin, append([]string{"init"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	root := cliAddUser(t, bin, args, "root", "admin", "root's long passphrase here")
	kim := cliAddUser(t, bin, args, "kim", "analyst", "kim's long passphrase here")
	cliAddUser(t, bin, args, "lee", "analyst", "lee's long passphrase here")
	srvA, srvB := startTipline(t, bin, args), startTipline(t, bin, args)

	ctx := context.Background()
	st, err := store.Open(ctx, b.DataDir, b.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// submitAt submits a report on a server and returns the new tip's id.
	submitAt := func(t *testing.T, srv *tiplineProcess, text string) string {
		t.Helper()
		before, err := st.TipIDs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := crashSubmit(srv.url, text); err != nil {
			t.Fatal(err)
		}
		after, err := st.TipIDs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range after {
			if !slices.Contains(before, id) {
				return id
			}
		}
		t.Fatal("no new tip")
		return ""
	}

	admin := newDeskClient(t, srvA.desk)
	admin.login(t, root, root.code(t))

	t.Run("sessions", func(t *testing.T) {
		onB := newDeskClient(t, srvB.desk)
		copyCookies(t, admin, onB, "tipline_desk")
		if resp, page := onB.get(t, "/admin/users"); resp.StatusCode != http.StatusOK || !strings.Contains(page, ">lee<") {
			t.Fatalf("a desk session from server A on server B: %d", resp.StatusCode)
		}

		receipt, err := crashSubmit(srvA.url, "a report opened on both servers")
		if err != nil {
			t.Fatal(err)
		}
		source := newDeskClient(t, srvA.url)
		if resp, page := source.post(t, "/status", url.Values{"receipt": {receipt}}); resp.StatusCode != http.StatusOK || !strings.Contains(page, "a report opened on both servers") {
			t.Fatalf("status login on A: %d", resp.StatusCode)
		}
		sourceOnB := newDeskClient(t, srvB.url)
		copyCookies(t, source, sourceOnB, "tipline_source")
		if resp, page := sourceOnB.get(t, "/status"); resp.StatusCode != http.StatusOK || !strings.Contains(page, "a report opened on both servers") {
			t.Fatalf("a source's session from server A on server B: %d", resp.StatusCode)
		}
	})

	t.Run("offer recipients", func(t *testing.T) {
		offer, err := st.DefaultOffer(ctx)
		if err != nil {
			t.Fatal(err)
		}
		lee, _, err := st.UserByName(ctx, "lee")
		if err != nil {
			t.Fatal(err)
		}
		path := "/admin/offers/" + offer.ID + "/recipients"
		if resp, _ := admin.post(t, path+"/remove", url.Values{"holder": {lee.Holder()}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("removing lee on A: %d", resp.StatusCode)
		}
		// B reads the recipients now, without lee, and caches them.
		without := submitAt(t, srvB, "before lee receives the offer again")
		if _, err := st.WrappedKey(ctx, without, lee.Holder()); err == nil {
			t.Fatal("a report submitted after lee was removed is wrapped to lee")
		}
		if resp, _ := admin.post(t, path, url.Values{"name": {"lee"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("adding lee on A: %d", resp.StatusCode)
		}
		time.Sleep(2 * time.Second)
		with := submitAt(t, srvB, "after lee receives the offer again")
		if _, err := st.WrappedKey(ctx, with, lee.Holder()); err != nil {
			t.Fatalf("2 s after lee was added on A, a report submitted on B is not wrapped to lee: %v", err)
		}
	})

	t.Run("lists", func(t *testing.T) {
		const lists = "../../../shared/data/lists/"
		if out, err := exec.Command(bin, append([]string{"lists", "import"}, append(args, lists+"un/consolidated-2026-02-27.xml")...)...).CombinedOutput(); err != nil {
			t.Fatalf("lists import: %v\n%s", err, out)
		}
		imported := time.Now()
		for _, srv := range []*tiplineProcess{srvB, srvA} {
			for {
				id := submitAt(t, srv, "I saw Eric Badege load the crates.")
				got, err := st.Tip(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if got.HasHits {
					break
				}
				if time.Since(imported) > 2500*time.Millisecond {
					t.Fatalf("a list imported by the CLI is not in force on %s after %v", srv.url, time.Since(imported))
				}
				time.Sleep(200 * time.Millisecond)
			}
		}
	})

	t.Run("desk login throttle", func(t *testing.T) {
		wrong := func(srv *tiplineProcess) time.Duration {
			start := time.Now()
			c := newDeskClient(t, srv.desk)
			if resp, _ := c.post(t, "/login", url.Values{"name": {"kim"}, "password": {kim.password}, "code": {"000000"}}); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("a wrong code: %d", resp.StatusCode)
			}
			return time.Since(start)
		}
		for range 5 {
			wrong(srvA)
		}
		// After five failures, attempts are 250 ms × 2⁴ = 4 s apart.
		if d := wrong(srvB); d < 3*time.Second {
			t.Fatalf("after five wrong codes on A, a wrong code on B took only %v", d)
		}
	})

	t.Run("receipt gate", func(t *testing.T) {
		// Wrong answers leave one per 100 ms across both servers, each after
		// at least 1 s: 40 at once take at least 1 s + 39 × 100 ms. Two
		// gates apart would answer them in 1 s + 19 × 100 ms.
		const guesses = 40
		start := time.Now()
		var wg sync.WaitGroup
		for i := range guesses {
			srv := srvA
			if i%2 == 1 {
				srv = srvB
			}
			wg.Go(func() {
				page, err := crashStatus(srv.url, fmt.Sprintf("WRONG-%04d-GUESS", i))
				if err != nil || !strings.Contains(page, "receipt") {
					t.Errorf("a wrong receipt: %v", err)
				}
			})
		}
		wg.Wait()
		if d := time.Since(start); d < time.Second+guesses*90*time.Millisecond {
			t.Fatalf("%d wrong receipts on two servers were all answered in %v", guesses, d)
		}
	})

	t.Run("budget", func(t *testing.T) {
		budget := append(slices.Clone(args), "--submissions-per-minute", "4")
		srvC, srvD := startTipline(t, bin, budget), startTipline(t, bin, budget)
		for i := range 4 {
			srv := []*tiplineProcess{srvC, srvD}[i%2]
			if _, err := crashSubmit(srv.url, "within the budget"); err != nil {
				t.Fatalf("report %d within the budget: %v", i+1, err)
			}
		}
		for _, srv := range []*tiplineProcess{srvC, srvD} {
			_, err := crashSubmit(srv.url, "past the budget")
			if err == nil || !strings.Contains(err.Error(), "503") {
				t.Fatalf("a fifth report in the minute, on %s: %v, want 503", srv.url, err)
			}
		}
	})

	t.Run("audit chain", func(t *testing.T) {
		if out, err := exec.Command(bin, append([]string{"audit", "verify"}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("audit verify after two servers wrote: %v\n%s", err, out)
		}
	})
}

// copyCookies gives to a client of another server the named cookie of from.
func copyCookies(t *testing.T, from, to *deskClient, name string) {
	t.Helper()
	fromURL, _ := url.Parse(from.base)
	toURL, _ := url.Parse(to.base)
	for _, c := range from.c.Jar.Cookies(fromURL) {
		if c.Name == name {
			to.c.Jar.SetCookies(toURL, []*http.Cookie{{Name: c.Name, Value: c.Value, Path: "/"}})
			return
		}
	}
	t.Fatalf("no %s cookie", name)
}
