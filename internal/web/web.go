// Package web holds what the source site and the desk share: the languages
// and their message catalogs, templates parsed once at start-up, the style
// sheet, and the middleware that sends protective headers.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"tipline/internal/tip"
	"tipline/internal/visible"
)

//go:embed all:templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Templates are the parsed page templates, each with the shared layout.
type Templates struct {
	pages map[string]*template.Template
}

// Template sets: the source site and the desk each have their own layout.
const (
	SourceTemplates = "source"
	DeskTemplates   = "desk"
)

// ParseTemplates parses every page of a set once, with its layout and the
// helpers.
func ParseTemplates(set string) (*Templates, error) {
	dir := "templates/" + set
	names, err := fs.Glob(templateFS, dir+"/*.html")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no templates in %s", dir)
	}
	t := &Templates{pages: map[string]*template.Template{}}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, dir+"/"), ".html")
		if strings.HasPrefix(base, "_") {
			continue
		}
		p, err := template.New(base).Funcs(funcs).ParseFS(templateFS, dir+"/_*.html", name)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		t.pages[base] = p
	}
	return t, nil
}

// Render writes a page with the given status. It renders into memory first,
// so a template error becomes a clean 500 instead of half a page.
func (t *Templates) Render(w http.ResponseWriter, status int, page string, data any) {
	p, ok := t.pages[page]
	if !ok {
		slog.Error("no such template", "page", page)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := p.ExecuteTemplate(&buf, "layout", data); err != nil {
		slog.Error("failed to render page", "page", page, "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	WriteHTML(w, status, buf.Bytes())
}

// Execute renders a page into memory, for pages that are rendered once and
// served many times.
func (t *Templates) Execute(page string, data any) ([]byte, error) {
	p, ok := t.pages[page]
	if !ok {
		return nil, fmt.Errorf("no such template: %s", page)
	}
	var buf bytes.Buffer
	if err := p.ExecuteTemplate(&buf, "layout", data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteHTML writes a rendered page with the given status.
func WriteHTML(w http.ResponseWriter, status int, html ...[]byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	for _, b := range html {
		w.Write(b)
	}
}

var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	},
	"index0": func(s []string, i int) string {
		if i < len(s) {
			return s[i]
		}
		return ""
	},
	"join": strings.Join,
	// fileOf pairs a file with its report, for the desk's file template.
	"fileOf": func(tipID string, file any) map[string]any { return map[string]any{"TipID": tipID, "File": file} },
	"usd":    tip.USD,
	// words turns a code such as under_review into "under review".
	"words":    func(v any) string { return strings.ReplaceAll(fmt.Sprint(v), "_", " ") },
	"unixTime": func(u int64) string { return time.Unix(u, 0).UTC().Format("2006-01-02 15:04:05") },
	// visible shows a name someone else chose (a file's, a metadata value)
	// with the characters that would hide or reorder it escaped.
	"visible": visible.Escape,
}

// Static serves the embedded style sheet and images. They are the only
// resources source pages load, all from the same origin.
func Static() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}
