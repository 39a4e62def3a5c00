package intake_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"tipline/internal/receipt"
	"tipline/internal/seal"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// A source downloads the files the desk attached to messages on their own
// report, and nothing else: not another report's files, even knowing their
// ids, not the files they sent themselves, and nothing without the receipt's
// session.
func TestSourceDownloadsOnlyTheDesksFilesOfItsOwnReport(t *testing.T) {
	s := newSite(t, storetest.Backends(t)[0], siteOptions{})
	c := s.client(t)
	mine := c.submit("/submit", form{
		fields: [][2]string{{"category", "ship_to_ship"}, {"message", "my report"}},
		files:  [][2]string{{"my-notes.txt", "what I saw myself"}},
	})
	theirs := s.client(t).submit("/submit", form{fields: [][2]string{{"category", "ship_to_ship"}, {"message", "another source's report"}}})
	myTip, myKey := s.tipOf(t, mine)
	theirTip, theirKey := s.tipOf(t, theirs)
	myFile := s.addMessage(t, myTip, myKey, tip.AuthorDesk, "reply.txt", "the desk's reply to me")
	theirFile := s.addMessage(t, theirTip, theirKey, tip.AuthorDesk, "other.txt", "the desk's reply to someone else")
	mySentFile := s.addMessage(t, myTip, myKey, tip.AuthorSource, "sent.txt", "a file I sent later")
	myReportFile, _ := s.openFirstFile(t, mine)

	if resp, body := c.get("/status/files/" + myFile); resp.StatusCode != http.StatusUnauthorized || strings.Contains(body, "reply to me") {
		t.Fatalf("before logging in: %d, want 401 and no content", resp.StatusCode)
	}
	_, status := c.postForm("/status", map[string]string{"receipt": mine})
	links := regexp.MustCompile(`href="/status/files/([a-z0-9]+)" download>`).FindAllStringSubmatch(status, -1)
	if len(links) != 1 || links[0][1] != myFile {
		t.Fatalf("the status page should link the desk's file only, got %v:\n%s", links, status)
	}
	resp, body := c.get("/status/files/" + myFile)
	if resp.StatusCode != http.StatusOK || body != "the desk's reply to me" ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="reply.txt"; filename*=UTF-8''reply.txt` ||
		resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
		resp.Header.Get("Content-Security-Policy") != "default-src 'none'; sandbox" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("the desk's file: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	for name, blob := range map[string]string{"another report's": theirFile, "my own message's": mySentFile, "my report's": myReportFile.BlobID, "a made-up": tip.NewID()} {
		resp, body := c.get("/status/files/" + blob)
		if resp.StatusCode != http.StatusNotFound || strings.Contains(body, "someone else") || strings.Contains(body, "myself") || strings.Contains(body, "I sent") {
			t.Errorf("%s file: %d, want 404 and no content", name, resp.StatusCode)
		}
	}
	if strings.Contains(s.logs.String(), "reply to") {
		t.Fatal("a file's content reached the log")
	}
}

// tipOf finds the report a receipt names and opens its key with the recovery
// identity.
func (s *site) tipOf(t *testing.T, rcpt string) (string, *seal.Key) {
	t.Helper()
	readings, _ := receipt.Parse(rcpt)
	tp, err := s.store.TipByReceipt(context.Background(), readings[0].LookupID())
	if err != nil {
		t.Fatal(err)
	}
	wrapped, _ := s.store.WrappedKey(context.Background(), tp.ID, "recovery")
	key, err := seal.Unwrap(wrapped, s.recovery)
	if err != nil {
		t.Fatal(err)
	}
	return tp.ID, key
}

// addMessage stores a message with one file through the store, as the desk
// (or the source site) would, and returns the file's blob id.
func (s *site) addMessage(t *testing.T, tipID string, key *seal.Key, author tip.Author, name, content string) string {
	t.Helper()
	ctx := context.Background()
	bw, err := s.store.NewStagedBlob(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sw, err := seal.Seal(bw, key.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(sw, content)
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bw.Close(); err != nil {
		t.Fatal(err)
	}
	f := tip.File{Name: name, Type: "plain text", Size: int64(len(content)), BlobID: bw.ID(), Metadata: tip.MetadataReport{Checked: true}}
	plain, _ := json.Marshal(tip.MessageBody{Text: "a message", Files: []tip.File{f}})
	body, err := seal.SealBytes(plain, key.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	m := &tip.Message{ID: tip.NewID(), TipID: tipID, Author: author, CreatedAt: time.Now()}
	if err := s.store.AddMessage(ctx, m, body, []string{f.BlobID}); err != nil {
		t.Fatal(err)
	}
	return f.BlobID
}
