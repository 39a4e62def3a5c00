package e2e_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tipline/internal/store/storetest"
)

// The desk serves TLS 1.3 only with --desk-cert and --desk-key, and its
// cookies are Secure over TLS and behind a TLS proxy (--desk-origin https).
func TestDeskOverTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	bin := buildTipline(t)
	b := storetest.Backends(t)[0]
	args := []string{"--data", b.DataDir}
	if out, err := exec.Command(bin, append([]string{"init"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	kim := cliAddUser(t, bin, args, "kim", "analyst", "kim's long passphrase here")
	certFile, keyFile, pool := selfSignedCert(t)
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

// selfSignedCert writes a certificate for 127.0.0.1 and its key, and
// returns a pool that trusts it.
func selfSignedCert(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "desk"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "desk.crt"), filepath.Join(dir, "desk.key")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
