package desk

import (
	"net/http"
	"regexp"
	"sort"
	"strings"

	"tipline/internal/tip"
	"tipline/internal/visible"
)

var labelPattern = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,39}$`)

// labels replaces a report's labels (comma-separated) and its legal hold.
func (s *Server) labels(w http.ResponseWriter, r *http.Request) {
	ctx, sess, id := r.Context(), sessionOf(r), r.PathValue("id")
	if _, _, err := s.openTip(ctx, sess, id); err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	set := map[string]bool{}
	for _, l := range strings.Split(r.PostFormValue("labels"), ",") {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if !labelPattern.MatchString(l) || visible.Hidden(l) { // letters drawn as nothing, such as U+3164
			s.fail(w, r, tip.Errorf(tip.CodeInvalid, "Label %q: use up to 40 letters, digits, spaces, dots, dashes or underscores.", l))
			return
		}
		set[l] = true
	}
	var labels []string
	for l := range set {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	hold := r.PostFormValue("legal_hold") != ""
	detail := "labels " + strings.Join(labels, ",")
	if hold {
		detail += "; legal hold"
	}
	ctx, err := s.audited(ctx, sess, "tip.labels", id, detail)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.SetLabels(ctx, id, labels, hold); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/tips/"+id, http.StatusSeeOther)
}
