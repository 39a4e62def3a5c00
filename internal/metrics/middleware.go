package metrics

import (
	"io"
	"net/http"
	"strings"
)

// SourceSite counts what the source site is asked and how it answers —
// submissions, receipt logins and replies by outcome, and the bytes
// received — from the requests' paths and the answers' statuses alone, so
// that the handlers stay free of it. Nothing about a request is kept.
func SourceSite(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		r.Body = &countingBody{ReadCloser: r.Body}
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		path := languageless(r.URL.Path)
		switch {
		case path == "/submit":
			Submissions.WithLabelValues(outcome(rec.status, http.StatusOK)).Inc()
		case path == "/status/messages":
			SourceMessages.WithLabelValues(outcome(rec.status, http.StatusSeeOther)).Inc()
		case path == "/status":
			switch {
			case rec.setsCookie("tipline_source="):
				SourceLogins.WithLabelValues("ok").Inc()
			case rec.status == http.StatusServiceUnavailable || rec.status == http.StatusTooManyRequests:
				SourceLogins.WithLabelValues("busy").Inc()
			case rec.status == http.StatusOK:
				// A wrong receipt is answered with the login page again,
				// after the guess gate's wait.
				SourceLogins.WithLabelValues("refused").Inc()
				Throttled.WithLabelValues("receipt").Inc()
			}
		}
	})
}

// Desk counts desk logins by outcome.
func Desk(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || (r.URL.Path != "/login" && r.URL.Path != "/login/webauthn/finish") {
			next.ServeHTTP(w, r)
			return
		}
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		switch {
		case rec.status == http.StatusSeeOther && rec.Header().Get("Location") == "/":
			DeskLogins.WithLabelValues("ok").Inc()
		case rec.status == http.StatusOK && r.URL.Path == "/login/webauthn/finish":
			DeskLogins.WithLabelValues("ok").Inc()
		case rec.status == http.StatusSeeOther && strings.HasPrefix(rec.Header().Get("Location"), "/account/"):
			DeskLogins.WithLabelValues("enrol").Inc()
		case rec.status == http.StatusServiceUnavailable:
			DeskLogins.WithLabelValues("busy").Inc()
		case rec.status == http.StatusUnauthorized:
			DeskLogins.WithLabelValues("fail").Inc()
		}
	})
}

// outcome names an answer to a write by its status: success is the status
// the handler answers a stored write with.
func outcome(status, success int) string {
	switch {
	case status == success:
		return "accepted"
	case status == http.StatusRequestEntityTooLarge:
		return "too_large"
	case status == http.StatusInsufficientStorage:
		return "no_room"
	case status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests:
		return "busy"
	case status >= 400 && status < 500:
		return "invalid"
	default:
		return "failed"
	}
}

// languageless strips a language prefix (/ko/submit is /submit).
func languageless(path string) string {
	for _, lang := range []string{"/ko", "/zh", "/ru", "/en"} {
		if rest, ok := strings.CutPrefix(path, lang); ok && strings.HasPrefix(rest, "/") {
			return rest
		}
	}
	return path
}

// recorder keeps the status an answer was written with. It unwraps for
// http.ResponseController, which the upload's read deadlines use.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) setsCookie(prefix string) bool {
	for _, c := range r.Header().Values("Set-Cookie") {
		if strings.HasPrefix(c, prefix) && !strings.Contains(c, "Max-Age=0") {
			return true
		}
	}
	return false
}

// countingBody counts the bytes a request's body gives up.
type countingBody struct{ io.ReadCloser }

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	BytesReceived.Add(float64(n))
	return n, err
}
