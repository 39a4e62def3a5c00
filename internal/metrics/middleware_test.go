package metrics

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// Each answer of the source site counts once, under the outcome its status
// means, whatever the language of the path.
func TestSourceSiteCountsOutcomes(t *testing.T) {
	for _, c := range []struct {
		path    string
		status  int
		cookie  string
		counter func() float64
	}{
		{"/submit", http.StatusOK, "", func() float64 { return testutil.ToFloat64(Submissions.WithLabelValues("accepted")) }},
		{"/ko/submit", http.StatusUnprocessableEntity, "", func() float64 { return testutil.ToFloat64(Submissions.WithLabelValues("invalid")) }},
		{"/ru/submit", http.StatusRequestEntityTooLarge, "", func() float64 { return testutil.ToFloat64(Submissions.WithLabelValues("too_large")) }},
		{"/submit", http.StatusServiceUnavailable, "", func() float64 { return testutil.ToFloat64(Submissions.WithLabelValues("busy")) }},
		{"/ko/submit", http.StatusInsufficientStorage, "", func() float64 { return testutil.ToFloat64(Submissions.WithLabelValues("no_room")) }},
		{"/status/messages", http.StatusInsufficientStorage, "", func() float64 { return testutil.ToFloat64(SourceMessages.WithLabelValues("no_room")) }},
		{"/submit", http.StatusInternalServerError, "", func() float64 { return testutil.ToFloat64(Submissions.WithLabelValues("failed")) }},
		{"/zh/status", http.StatusOK, "tipline_source=x; Path=/; Max-Age=1800", func() float64 { return testutil.ToFloat64(SourceLogins.WithLabelValues("ok")) }},
		{"/status", http.StatusOK, "", func() float64 { return testutil.ToFloat64(SourceLogins.WithLabelValues("refused")) }},
		{"/status/messages", http.StatusSeeOther, "", func() float64 { return testutil.ToFloat64(SourceMessages.WithLabelValues("accepted")) }},
	} {
		before := c.counter()
		h := SourceSite(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if c.cookie != "" {
				w.Header().Add("Set-Cookie", c.cookie)
			}
			w.WriteHeader(c.status)
		}))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", c.path, strings.NewReader("body")))
		if got := c.counter() - before; got != 1 {
			t.Errorf("POST %s answered %d: counted %v times", c.path, c.status, got)
		}
	}
}

// The bytes of request bodies are counted as they are read.
func TestSourceSiteCountsBytes(t *testing.T) {
	before := testutil.ToFloat64(BytesReceived)
	h := SourceSite(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 100)
		for {
			if _, err := r.Body.Read(buf); err != nil {
				return
			}
		}
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/submit", strings.NewReader(strings.Repeat("x", 1234))))
	if got := testutil.ToFloat64(BytesReceived) - before; got != 1234 {
		t.Fatalf("counted %v bytes, want 1234", got)
	}
}
