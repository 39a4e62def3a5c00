package intake

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"time"

	"tipline/internal/seal"
	"tipline/internal/tip"
)

// A source session starts when a receipt opens a report. The cookie holds a
// session id and a secret; the server stores the tip key wrapped under a key
// derived from that secret, so a stolen session table opens nothing.
const (
	sessionCookie = "tipline_source"
	sessionTTL    = 30 * time.Minute
	// sessionExpiryStep is the granularity of a stored session expiry.
	sessionExpiryStep = 10 * time.Minute
	idLen             = 16
	secretLen         = 32
	// sessionsPerReceipt is how many sessions one receipt may hold at once
	// (a phone and a computer, and some to spare): each login is a row, and
	// logging in over and over must not grow the database without bound.
	// A new login ends the oldest beyond it.
	sessionsPerReceipt = 8
)

func (s *Server) startSession(ctx context.Context, w http.ResponseWriter, r *http.Request, tipID string, key *seal.Key) error {
	raw := make([]byte, idLen+secretLen)
	rand.Read(raw)
	wrapped, err := seal.WrapToSecret(key, raw[idLen:], "source session")
	if err != nil {
		return err
	}
	// The expiry is stored rounded up to the next ten minutes: to the
	// second, it would date the source's visit in a seized database.
	expires := time.Now().Add(sessionTTL).Truncate(sessionExpiryStep).Add(sessionExpiryStep)
	id := sessionID(raw[:idLen])
	if err := s.store.CreateSourceSession(ctx, id, tipID, wrapped, expires); err != nil {
		return err
	}
	if err := s.store.KeepSourceSessions(ctx, tipID, id, sessionsPerReceipt); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: base64.RawURLEncoding.EncodeToString(raw), Path: "/",
		MaxAge: int(time.Until(expires).Seconds()), HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil,
	})
	return nil
}

// session returns the tip and its key for the request's session cookie.
func (s *Server) session(r *http.Request) (tip.Tip, *seal.Key, string, error) {
	unauthorized := tip.Errorf(tip.CodeUnauthorized, "no session")
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return tip.Tip{}, nil, "", unauthorized
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(raw) != idLen+secretLen {
		return tip.Tip{}, nil, "", unauthorized
	}
	id := sessionID(raw[:idLen])
	tipID, wrapped, err := s.store.SourceSession(r.Context(), id)
	if err != nil {
		return tip.Tip{}, nil, "", err
	}
	key, err := seal.UnwrapWithSecret(wrapped, raw[idLen:], "source session")
	if err != nil {
		return tip.Tip{}, nil, "", unauthorized
	}
	t, err := s.store.Tip(r.Context(), tipID)
	return t, key, id, err
}

func clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

func sessionID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}
