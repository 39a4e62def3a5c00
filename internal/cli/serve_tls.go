package cli

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
)

// deskTLS wraps the desk's listener in TLS 1.3 when a certificate and key
// are given: passwords and second-factor codes never cross the network in
// the clear, even on a "private" one.
func deskTLS(ln net.Listener, certFile, keyFile string) (net.Listener, error) {
	switch {
	case certFile == "" && keyFile == "":
		return ln, nil
	case certFile == "" || keyFile == "":
		ln.Close()
		return nil, usageError{withHint(errors.New("--desk-cert and --desk-key go together"), "give both, or neither (and a TLS proxy in front with --desk-origin https://...)")}
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		ln.Close()
		return nil, withHint(fmt.Errorf("failed to load the desk's certificate: %w", err), "--desk-cert and --desk-key take PEM files: the certificate chain and its private key")
	}
	return tls.NewListener(ln, &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{cert}}), nil
}

// httpsOrigin reports whether the desk is reached over https: then its
// cookies are Secure even when a proxy hands requests on in plain HTTP.
func httpsOrigin(origins []string) bool {
	for _, o := range origins {
		if strings.HasPrefix(strings.ToLower(o), "https://") {
			return true
		}
	}
	return false
}
