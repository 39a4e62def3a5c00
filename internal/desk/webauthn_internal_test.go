package desk

import (
	"net/http/httptest"
	"testing"
)

// The relying party comes from configuration alone: the Host header plays
// no part, and without an origin WebAuthn is off, even on "localhost".
func TestRelyingParty(t *testing.T) {
	for _, c := range []struct {
		name     string
		cfg      Config
		host     string
		rpID     string
		origin   string
		disabled bool
	}{
		{"localhost is off by default", Config{}, "localhost:8081", "", "", true},
		{"any other host is off by default", Config{}, "desk.example.org", "", "", true},
		{"an IP address is off by default", Config{}, "127.0.0.1:8081", "", "", true},
		{"configured origin", Config{WebAuthnOrigins: []string{"https://desk.example.org"}}, "evil.example.net", "desk.example.org", "https://desk.example.org", false},
		{"configured ID", Config{WebAuthnRPID: "example.org", WebAuthnOrigins: []string{"https://desk.example.org"}}, "desk.example.org", "example.org", "https://desk.example.org", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &Server{cfg: c.cfg}
			r := httptest.NewRequest("GET", "/account", nil)
			r.Host = c.host
			rp, err := s.relyingParty(r)
			if c.disabled {
				if err != errNoWebAuthn {
					t.Fatalf("got %v, want WebAuthn off", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rp.Config.RPID != c.rpID || len(rp.Config.RPOrigins) != 1 || rp.Config.RPOrigins[0] != c.origin {
				t.Fatalf("got %q %v", rp.Config.RPID, rp.Config.RPOrigins)
			}
		})
	}
}
