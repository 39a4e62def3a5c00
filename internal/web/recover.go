package web

import (
	"log/slog"
	"net/http"
)

// Recover turns a panic into a plain 500 and logs it without the request:
// no address, no user agent, no URL that might carry an id.
func Recover(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic in handler", "panic", v, "method", r.Method, "pattern", r.Pattern)
				http.Error(w, "Internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
