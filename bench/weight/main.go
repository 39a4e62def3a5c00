// Command weight measures what a browser downloads to show a landing page of
// a running Tipline source site: the page, and every style sheet, image,
// script, icon or font it refers to (following url() and @import in style
// sheets), each fetched once.
//
// Each request goes over its own connection with compression refused, so the
// bytes read from the socket are exactly the status line, headers and body
// the server sent; both body bytes and bytes on the wire are reported. A
// browser also asks for /favicon.ico on its own when a page names no icon;
// that answer is reported beside the total, not in it.
//
//	weight -url http://127.0.0.1:8080 -pages /,/ko/,/zh/,/ru/ -limit 51200
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/net/html"

	"tipline/bench/internal/loopback"
)

func main() {
	base := flag.String("url", "", "the source site, e.g. http://127.0.0.1:8080 (loopback only)")
	pages := flag.String("pages", "/,/ko/,/zh/,/ru/", "comma-separated paths of the pages to weigh")
	limit := flag.Int64("limit", 50_000, "the goal, in bytes of page plus everything it loads")
	flag.Parse()
	if err := run(*base, strings.Split(*pages, ","), *limit); err != nil {
		fmt.Fprintf(os.Stderr, "weight: error: %v\n", err)
		os.Exit(1)
	}
}

func run(rawBase string, pages []string, limit int64) error {
	base, err := loopback.URL(rawBase)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f := newFetcher(base)
	fmt.Printf("weight: body bytes (bytes on the wire, headers included), compression refused; goal < %d bytes\n", limit)
	over := false
	for _, p := range pages {
		w, err := weigh(ctx, f, base.ResolveReference(&url.URL{Path: p}))
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		met := "met"
		if w.body >= limit {
			met, over = "MISSED", true
		}
		fmt.Printf("  %-6s total %6d (%6d)  %s\n", p, w.body, w.wire, met)
		for _, r := range w.parts {
			fmt.Printf("         %6d (%6d)  %s %s\n", r.body, r.wire, r.kind, r.path)
		}
		if w.favicon != nil {
			fmt.Printf("         not counted: %d (%d) for /favicon.ico, HTTP %d, which browsers ask for when a page names no icon\n",
				w.favicon.body, w.favicon.wire, w.favicon.status)
		}
	}
	if over {
		return errors.New("a page is over the goal")
	}
	return nil
}

// resource is one fetched URL.
type resource struct {
	kind, path string
	status     int
	body, wire int64
	content    []byte
	ctype      string
}

// fetcher gets URLs one connection each and counts the bytes read from it.
type fetcher struct {
	origin *url.URL
	client *http.Client
	read   atomic.Int64
}

func newFetcher(origin *url.URL) *fetcher {
	f := &fetcher{origin: origin}
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	f.client = &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy:              nil,
			DisableKeepAlives:  true,
			DisableCompression: true,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				c, err := dialer.DialContext(ctx, network, addr)
				if err != nil {
					return nil, err
				}
				return &countingConn{Conn: c, n: &f.read}, nil
			},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return f
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	k, err := c.Conn.Read(p)
	c.n.Add(int64(k))
	return k, err
}

func (f *fetcher) get(ctx context.Context, kind string, u *url.URL) (*resource, error) {
	if u.Scheme != f.origin.Scheme || u.Host != f.origin.Host {
		return nil, fmt.Errorf("the page loads a third-party resource: %s", u)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept-Encoding", "identity")
	before := f.read.Load()
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	return &resource{
		kind: kind, path: u.RequestURI(), status: resp.StatusCode,
		body: int64(len(body)), wire: f.read.Load() - before, content: body, ctype: resp.Header.Get("Content-Type"),
	}, nil
}

// weight is a page with everything it loads.
type weight struct {
	body, wire int64
	parts      []*resource
	favicon    *resource
}

func weigh(ctx context.Context, f *fetcher, page *url.URL) (*weight, error) {
	w := &weight{}
	seen := map[string]bool{}
	type pending struct {
		kind string
		u    *url.URL
	}
	queue := []pending{{"page", page}}
	namesIcon := false
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p.u.String()] {
			continue
		}
		seen[p.u.String()] = true
		r, err := f.get(ctx, p.kind, p.u)
		if err != nil {
			return nil, err
		}
		if r.status != http.StatusOK {
			return nil, fmt.Errorf("%s answered HTTP %d", r.path, r.status)
		}
		w.parts = append(w.parts, r)
		w.body += r.body
		w.wire += r.wire
		var refs []ref
		switch {
		case strings.HasPrefix(r.ctype, "text/html"):
			refs = htmlRefs(r.content)
		case strings.HasPrefix(r.ctype, "text/css"):
			refs = cssRefs(r.content)
		}
		for _, rf := range refs {
			u, err := p.u.Parse(rf.target)
			if err != nil || u.Scheme == "data" {
				continue
			}
			u.Fragment = ""
			namesIcon = namesIcon || rf.kind == "icon"
			queue = append(queue, pending{rf.kind, u})
		}
	}
	if !namesIcon {
		fav, err := f.get(ctx, "icon", page.ResolveReference(&url.URL{Path: "/favicon.ico"}))
		if err != nil {
			return nil, err
		}
		w.favicon = fav
	}
	return w, nil
}

// ref is a URL that a page or style sheet makes the browser load.
type ref struct{ kind, target string }

// htmlRefs finds what a browser loads while rendering a page: style sheets,
// icons and preloads named by <link>, and the sources of images, scripts,
// media and frames. Links a user would have to follow (<a href>) are not
// loaded, so not counted.
func htmlRefs(page []byte) []ref {
	var out []ref
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		t := z.Token()
		attr := map[string]string{}
		for _, a := range t.Attr {
			attr[a.Key] = a.Val
		}
		switch t.Data {
		case "link":
			rel := " " + strings.ToLower(attr["rel"]) + " "
			switch {
			case strings.Contains(rel, " stylesheet "):
				out = append(out, ref{"css", attr["href"]})
			case strings.Contains(rel, " icon "):
				out = append(out, ref{"icon", attr["href"]})
			case strings.Contains(rel, " preload "), strings.Contains(rel, " modulepreload "):
				out = append(out, ref{"preload", attr["href"]})
			}
		case "img", "script", "iframe", "embed", "audio", "video", "source", "track", "input":
			if s := attr["src"]; s != "" {
				out = append(out, ref{t.Data, s})
			}
			if s := attr["srcset"]; s != "" {
				for _, cand := range strings.Split(s, ",") {
					if f := strings.Fields(cand); len(f) > 0 {
						out = append(out, ref{t.Data, f[0]})
					}
				}
			}
			if s := attr["poster"]; s != "" {
				out = append(out, ref{t.Data, s})
			}
		case "object":
			if s := attr["data"]; s != "" {
				out = append(out, ref{t.Data, s})
			}
		}
		if s := attr["style"]; strings.Contains(s, "url(") {
			out = append(out, cssRefs([]byte(s))...)
		}
	}
}

var (
	cssURL    = regexp.MustCompile(`url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)`)
	cssImport = regexp.MustCompile(`@import\s+(?:"([^"]*)"|'([^']*)')`)
	cssNotes  = regexp.MustCompile(`(?s)/\*.*?\*/`)
)

// cssRefs finds url() and @import targets in a style sheet.
func cssRefs(css []byte) []ref {
	css = cssNotes.ReplaceAll(css, nil)
	var out []ref
	for _, m := range cssImport.FindAllSubmatch(css, -1) {
		out = append(out, ref{"css", string(bytes.Join(m[1:], nil))})
	}
	for _, m := range cssURL.FindAllSubmatch(css, -1) {
		out = append(out, ref{"css-url", string(bytes.Join(m[1:], nil))})
	}
	return out
}
