// Package mailtest runs a real SMTP server for tests: mailpit, with an HTTP
// API to read what arrived. CI installs it with
// go install github.com/axllent/mailpit@v1.33.1.
package mailtest

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"tipline/internal/certtest"
	"tipline/internal/testenv"
)

// Server is a running mailpit.
type Server struct {
	SMTP string      // host:port
	API  string      // http://host:port
	TLS  *tls.Config // trusts the server's certificate, when it has one
	t    *testing.T
}

// Options choose how the server speaks.
type Options struct {
	StartTLS bool   // offer STARTTLS (with a certificate made for the test)
	Implicit bool   // TLS from the first byte (smtps)
	Auth     string // "user:password" to require authentication
}

// Start starts mailpit, or skips the test when it is not installed (fails
// it in CI, which installs it).
func Start(t *testing.T, opt Options) *Server {
	t.Helper()
	bin := find()
	if bin == "" {
		testenv.SkipOrFail(t, "mailpit is not installed (go install github.com/axllent/mailpit@v1.33.1)")
	}
	dir := t.TempDir()
	s := &Server{SMTP: freeAddr(t), API: "http://" + freeAddr(t), t: t}
	args := []string{"--smtp", s.SMTP, "--listen", s.API[len("http://"):], "--database", filepath.Join(dir, "mail.db"),
		"--disable-version-check", "--quiet"}
	if opt.StartTLS || opt.Implicit {
		cert, key, pool := certtest.New(t, dir)
		s.TLS = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
		args = append(args, "--smtp-tls-cert", cert, "--smtp-tls-key", key)
		if opt.Implicit {
			args = append(args, "--smtp-require-tls")
		}
	}
	if opt.Auth != "" {
		file := filepath.Join(dir, "auth")
		os.WriteFile(file, []byte(opt.Auth+"\n"), 0o600)
		args = append(args, "--smtp-auth-file", file)
	} else if opt.StartTLS || opt.Implicit {
		args = append(args, "--smtp-auth-accept-any")
	}
	cmd := exec.Command(bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(s.API + "/api/v1/messages"); err == nil {
			resp.Body.Close()
			return s
		}
	}
	t.Fatalf("mailpit did not start:\n%s", out.String())
	return nil
}

func find() string {
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(string(bytes.TrimSpace(out)), "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// Message is one message that arrived.
type Message struct {
	ID      string
	Subject string
	Size    int
	Raw     string
}

// Messages returns what arrived, oldest first, with each message's raw text.
func (s *Server) Messages() []Message {
	s.t.Helper()
	var list struct {
		Messages []Message `json:"messages"`
	}
	s.getJSON("/api/v1/messages", &list)
	out := list.Messages
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	for i := range out {
		resp, err := http.Get(s.API + "/api/v1/message/" + out[i].ID + "/raw")
		if err != nil {
			s.t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		out[i].Raw = string(raw)
	}
	return out
}

func (s *Server) getJSON(path string, v any) {
	s.t.Helper()
	resp, err := http.Get(s.API + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		s.t.Fatal(err)
	}
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
