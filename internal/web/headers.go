package web

import "net/http"

// SourceCSP allows nothing but this origin's style sheet and images: no
// script at all, no frames, forms only to this origin.
const SourceCSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// SecureHeaders sets the headers every page gets. onion, when set, is the
// site's onion address, advertised to Tor Browser with Onion-Location.
func SecureHeaders(csp, onion string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if onion != "" {
			h.Set("Onion-Location", "http://"+onion+r.URL.RequestURI())
		}
		next.ServeHTTP(w, r)
	})
}

// NoStore marks a response as never to be cached: receipt and status pages
// must not linger in a browser's or proxy's cache.
func NoStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
}

// CrossOrigin refuses cross-origin state-changing requests (Sec-Fetch-Site,
// then Origin), so no form tokens are needed and JavaScript-free browsers and
// scripted clients both work.
func CrossOrigin(next http.Handler) http.Handler {
	return http.NewCrossOriginProtection().Handler(next)
}
