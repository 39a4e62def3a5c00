package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// messageQuota serves an installation with --storage-quota, and has one
// receipt reply with files again and again: the replies that fit are taken,
// the rest refused with a page saying the store is full, and what is stored
// never passes the quota.
func messageQuota(t *testing.T, bin string, quota int64) {
	b := storetest.Backends(t)[0]
	args := []string{"--data", b.DataDir}
	srv := startInstalledAt(t, bin, args, "--storage-quota", fmt.Sprint(quota))
	rcpt, err := crashSubmit(srv.url, "a report whose receipt replies with files")
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	source := &http.Client{Jar: jar}
	resp, err := source.PostForm(srv.url+"/status", url.Values{"receipt": {rcpt}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	file := strings.Repeat("a ledger line of the transfer\n", 1000) // 30 KB
	taken, refused := 0, 0
	for range 20 {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("message", "more of the ledger")
		w, _ := mw.CreateFormFile("attachment", "ledger.txt")
		io.WriteString(w, file)
		mw.Close()
		resp, err := source.Post(srv.url+"/status/messages", mw.FormDataContentType(), &body)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case resp.StatusCode == http.StatusOK:
			taken++
		case resp.StatusCode == http.StatusServiceUnavailable && strings.Contains(string(page), "cannot store anything more"):
			refused++
		default:
			t.Fatalf("a reply: %d", resp.StatusCode)
		}
	}
	if taken == 0 || refused == 0 {
		t.Fatalf("%d replies taken and %d refused: want some of each under a quota of %d bytes", taken, refused, quota)
	}
	srv.cmd.Process.Signal(syscall.SIGTERM)
	srv.cmd.Wait()
	st, err := store.Open(context.Background(), b.DataDir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stored, err := st.StoredBytes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if stored > quota {
		t.Fatalf("%d bytes stored past a quota of %d", stored, quota)
	}
	t.Logf("quota %d: %d replies taken, %d refused, %d bytes stored", quota, taken, refused, stored)
}
