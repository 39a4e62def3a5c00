package desk

import (
	"net/http"
	"strconv"

	"tipline/internal/account"
	"tipline/internal/store"
)

type auditPage struct {
	Session *account.Session
	Entries []store.AuditEntry
	Head    string
	Next    int64
	Filter  store.AuditFilter
}

// auditLog shows the audit log to an auditor, newest first, filtered by
// report or actor. Reading it is itself audited.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	f := store.AuditFilter{TipID: q.Get("tip"), Actor: q.Get("actor"), Before: before, Limit: 100}
	if err := s.record(r.Context(), sessionOf(r), "audit.read", "", ""); err != nil {
		s.fail(w, r, err)
		return
	}
	entries, err := s.store.ListAudit(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	head, err := s.audit.Head(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := auditPage{Session: sessionOf(r), Entries: entries, Head: head, Filter: f}
	if len(entries) == f.Limit {
		p.Next = entries[len(entries)-1].Seq
	}
	s.pages.Render(w, http.StatusOK, "audit", p)
}
