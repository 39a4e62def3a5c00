package intake_test

import (
	"database/sql"
	"net/http"
	"path/filepath"
	"testing"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// A receipt login's stored expiry is coarse: to the second it would date
// the source's visit in a seized database.
func TestSourceSessionExpiryIsCoarse(t *testing.T) {
	b := storetest.Backends(t)[0]
	s := newSite(t, b, siteOptions{})
	c := s.client(t)
	receipt := c.submit("/submit", form{fields: [][2]string{{"category", "oil"}, {"message", "a tanker at night"}}})
	if resp, _ := c.postForm("/status", map[string]string{"receipt": receipt}); resp.StatusCode != http.StatusOK {
		t.Fatalf("status login: %d", resp.StatusCode)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(b.DataDir, store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var expires int64
	if err := db.QueryRow(`SELECT expires_at FROM source_sessions`).Scan(&expires); err != nil {
		t.Fatal(err)
	}
	if expires%600 != 0 {
		t.Fatalf("a session's expiry is stored to the second (%d)", expires)
	}
}
