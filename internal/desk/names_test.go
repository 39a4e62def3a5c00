package desk_test

import (
	"archive/tar"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tipline/internal/install"
	"tipline/internal/seal"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
	"tipline/internal/visible"
)

// The right-to-left override that makes "invoice\u202Etxt.exe" read as
// "invoiceexe.txt", and its siblings, never reach an analyst's eyes or a
// saved file's name unescaped: the source site escapes them as a name
// arrives, and the desk escapes names stored before that, on the page, in the
// download's name and in an export.
func TestHiddenCharactersInFileNamesAreShownEscaped(t *testing.T) {
	b := storetest.Backends(t)[0]
	w := newWorld(t, b)
	kim := w.login(w.addUser("kim", tip.RoleAnalyst))

	w.submit("the invoice, as I got it", "invoice\u202Etxt.exe", "total 12 crates")
	_, queue := kim.get("/tips")
	id := tipLink.FindStringSubmatch(queue)[1]

	// A name stored raw, as by a version of the source site before this
	// one: a message from the source with such a file, and a metadata value
	// that holds an override too.
	key := tipKeyOf(t, w, b, id)
	w.addSourceMessage(id, key, tip.File{Name: "photo\u2066gpj.exe\u2069\u200B", Type: "plain text",
		Metadata: tip.MetadataReport{Checked: true, Items: []tip.MetadataItem{{Category: "author", Label: "Artist", Value: "Kim\u202Elohc", Removed: true}}}},
		"a second photo")

	_, page := kim.get("/tips/" + id)
	if i := strings.IndexFunc(page, hidesText); i >= 0 {
		t.Fatalf("the report page holds a character that hides or reorders text: %q", page[max(0, i-40):min(len(page), i+40)])
	}
	for _, want := range []string{`invoice\u202Etxt.exe`, `photo\u2066gpj.exe\u2069\u200B`, `Kim\u202Elohc`} {
		if !strings.Contains(page, want) {
			t.Errorf("the report page should show %s escaped", want)
		}
	}

	links := fileLink.FindAllStringSubmatch(page, -1)
	if len(links) != 2 {
		t.Fatalf("want two file links, got %d", len(links))
	}
	for i, want := range []string{"invoice_u202Etxt.exe", "photo_u2066gpj.exe_u2069_u200B"} {
		resp, body := kim.get(links[i][1])
		cd := resp.Header.Get("Content-Disposition")
		if resp.StatusCode != http.StatusOK || body == "" {
			t.Fatalf("download %d: %d", i, resp.StatusCode)
		}
		if cd != `attachment; filename="`+want+`"; filename*=UTF-8''`+want {
			t.Errorf("download %d: Content-Disposition %q, want the escaped name %s", i, cd, want)
		}
		if resp.Header.Get("Content-Type") != "application/octet-stream" || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("download %d: headers %v", i, resp.Header)
		}
	}

	partner, _ := seal.NewKey()
	resp, body := kim.post("/tips/"+id+"/export", url.Values{"recipient": {partner.Recipient().String()}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", resp.StatusCode)
	}
	plain, err := seal.Open(strings.NewReader(body), partner)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tr := tar.NewReader(plain); ; {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
	want := []string{"files/01-invoice_u202Etxt.exe", "files/02-photo_u2066gpj.exe_u2069_u200B"}
	if got := names[len(names)-2:]; got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("export file names %q, want %q", got, want)
	}
}

// tipKeyOf opens a report's key with the recovery identity that init left in
// the data folder.
func tipKeyOf(t *testing.T, w *world, b storetest.Backend, tipID string) *seal.Key {
	t.Helper()
	text, err := os.ReadFile(filepath.Join(b.DataDir, install.RecoveryIdentityFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(text)), "\n")
	recovery, err := seal.ParseKey(lines[len(lines)-1])
	if err != nil {
		t.Fatal(err)
	}
	wrapped, err := w.store.WrappedKey(context.Background(), tipID, "recovery")
	if err != nil {
		t.Fatal(err)
	}
	key, err := seal.Unwrap(wrapped, recovery)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// addSourceMessage stores a message from the source with one file, straight
// through the store: a name exactly as given, whatever the site would make
// of it.
func (w *world) addSourceMessage(tipID string, key *seal.Key, f tip.File, content string) {
	w.t.Helper()
	ctx := context.Background()
	bw, err := w.store.NewStagedBlob(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	sw, err := seal.Seal(bw, key.Recipient())
	if err != nil {
		w.t.Fatal(err)
	}
	io.WriteString(sw, content)
	if err := sw.Close(); err != nil {
		w.t.Fatal(err)
	}
	if err := bw.Close(); err != nil {
		w.t.Fatal(err)
	}
	f.BlobID, f.Size = bw.ID(), int64(len(content))
	plain, _ := json.Marshal(tip.MessageBody{Files: []tip.File{f}})
	body, err := seal.SealBytes(plain, key.Recipient())
	if err != nil {
		w.t.Fatal(err)
	}
	m := &tip.Message{ID: tip.NewID(), TipID: tipID, Author: tip.AuthorSource, CreatedAt: time.Now()}
	if err := w.store.AddMessage(ctx, m, body, []string{f.BlobID}); err != nil {
		w.t.Fatal(err)
	}
}

// hidesText tells the characters a page must not hold: those that hide or
// reorder text, but for the line breaks and tabs of its markup.
func hidesText(r rune) bool { return r != '\n' && r != '\t' && visible.Hides(r) }

// Names chosen on the desk — a report's labels, a security key's — are shown
// to others and in the audit log: one that holds a direction override or a
// letter drawn as nothing is refused, with a reason.
func TestNamesChosenOnTheDeskRefuseHiddenCharacters(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	u := w.addUser("kim", tip.RoleAnalyst)
	kim := w.loginAt(w.localDesk(), u)
	w.submit("a report to label", "", "")
	_, queue := kim.get("/tips")
	id := tipLink.FindStringSubmatch(queue)[1]

	for _, label := range []string{"urgent\u202Etnegru", "\u3164", "a\u200Bb"} {
		resp, page := kim.post("/tips/"+id+"/labels", url.Values{"labels": {label}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "Label") {
			t.Errorf("label %q: %d, want 400 with the reason", label, resp.StatusCode)
		}
	}
	if resp, _ := kim.post("/tips/"+id+"/labels", url.Values{"labels": {"긴급, срочно"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("labels in Korean and Russian: %d", resp.StatusCode)
	}

	key := newSoftKey(t, w.localDesk())
	resp, page := kim.postJSON("/account/webauthn/register/begin", struct{}{})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("register/begin: %d %s", resp.StatusCode, page)
	}
	resp, page = kim.postJSON("/account/webauthn/register/finish", map[string]any{"name": "Blue\u202Eyek", "credential": key.create(page)})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "direction") {
		t.Fatalf("a key name with an override: %d %s, want 400 with the reason", resp.StatusCode, page)
	}
	if keys, _ := w.store.WebAuthnCredentials(t.Context(), mustUser(t, w, u.name).ID); len(keys) != 0 {
		t.Fatalf("a key was stored under a refused name: %+v", keys)
	}
}
