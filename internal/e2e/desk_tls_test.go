package e2e_test

import (
	"crypto/tls"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tipline/internal/certtest"
)

// The desk serves TLS 1.3 only with --desk-cert and --desk-key, and its
// cookies are Secure over TLS and behind a TLS proxy (--desk-origin https).
func TestDeskOverTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	bin, _, args := newInstallation(t)
	kim := cliAddUser(t, bin, args, "kim", "analyst", "kim's long passphrase here")
	certFile, keyFile, pool := certtest.New(t, t.TempDir())
	srv := startTipline(t, bin, append(args, "--desk-cert", certFile, "--desk-key", keyFile))
	deskURL := strings.Replace(srv.desk, "http://", "https://", 1)

	tls12 := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MaxVersion: tls.VersionTLS12}}}
	if _, err := tls12.Get(deskURL + "/login"); err == nil {
		t.Fatal("the desk accepted TLS 1.2")
	}
	if resp, err := http.Get(srv.desk + "/login"); err == nil && resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("the desk answered plain HTTP with %d", resp.StatusCode)
	}
	client := newDeskClient(t, deskURL)
	client.c.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	resp, _ := client.post(t, "/login", url.Values{"name": {"kim"}, "password": {kim.password}, "code": {kim.code(t)}})
	if resp.StatusCode != http.StatusSeeOther || resp.TLS == nil || resp.TLS.Version != tls.VersionTLS13 {
		t.Fatalf("login over TLS: %d", resp.StatusCode)
	}
	if c := resp.Header.Get("Set-Cookie"); !strings.Contains(c, "Secure") {
		t.Fatalf("desk cookie over TLS is not Secure: %q", c)
	}
	srv.cmd.Process.Kill()
	srv.cmd.Wait()

	// Behind a TLS-terminating proxy, the origin says https.
	srv = startTipline(t, bin, append(args, "--desk-origin", "https://desk.example.org"))
	resp, _ = newDeskClient(t, srv.desk).post(t, "/login", url.Values{"name": {"kim"}, "password": {kim.password}, "code": {kim.code(t)}})
	if c := resp.Header.Get("Set-Cookie"); resp.StatusCode != http.StatusSeeOther || !strings.Contains(c, "Secure") {
		t.Fatalf("behind an https proxy: %d, cookie %q", resp.StatusCode, c)
	}
}
