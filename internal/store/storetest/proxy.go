package storetest

import (
	"io"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
)

// Proxy forwards TCP connections to a PostgreSQL server, and can cut them or
// stall them: a test's way to take the database away from a store and give
// it back — as when the server stops and starts, or the network between
// them drops every packet — without stopping the server others use.
type Proxy struct {
	t      *testing.T
	addr   string // where it listens
	target string
	DSN    string // the DSN, through the proxy

	stalled atomic.Bool

	mu    sync.Mutex
	ln    net.Listener
	conns []net.Conn
}

// StartProxy starts a proxy to the server of dsn, whose DSN field is dsn
// through the proxy.
func StartProxy(t *testing.T, dsn string) *Proxy {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		t.Skipf("the test DSN has no TCP address to put a proxy before: %q", dsn)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{t: t, addr: ln.Addr().String(), target: u.Host}
	u.Host = p.addr
	p.DSN = u.String()
	p.serve(ln)
	t.Cleanup(p.Cut)
	return p
}

func (p *Proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", p.target)
			if err != nil {
				in.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, in, out)
			p.mu.Unlock()
			go func() { p.forward(out, in); out.Close() }()
			go func() { p.forward(in, out); in.Close() }()
		}
	}()
}

// forward copies what arrives from src to dst, dropping it while stalled.
func (p *Proxy) forward(dst io.Writer, src io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !p.stalled.Load() {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Stall drops every byte in either direction, on every connection, old and
// new, until Unstall: connections stay open and nothing answers.
func (p *Proxy) Stall() { p.stalled.Store(true) }

// Unstall forwards again. A connection that lost bytes is of no more use;
// new ones work.
func (p *Proxy) Unstall() { p.stalled.Store(false) }

// Cut closes the listener and every connection through it.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// Restore listens again on the same address.
func (p *Proxy) Restore() {
	p.t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.serve(ln)
}
