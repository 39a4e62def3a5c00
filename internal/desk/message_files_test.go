package desk_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// An analyst's files follow the source's rules: a photo is cleaned (the
// report shows what was removed), a Word file is refused unless the analyst
// ticks "send other files as they are" — and then the text typed is not lost.
// The source downloads what the desk sent, exactly as the desk sent it.
func TestDeskFilesFollowTheSourceRulesAndReachTheSource(t *testing.T) {
	photo, err := os.ReadFile("../metadata/testdata/exif-gps.jpg")
	if err != nil {
		t.Fatal(err)
	}
	docx := "PK\x03\x04\x14\x00\x06\x00" + strings.Repeat("\x00", 40) + "[Content_Types].xml word/document.xml Author: Kim Analyst"
	w := newWorld(t, storetest.Backends(t)[0])
	kim := w.login(w.addUser("kim", tip.RoleAnalyst))
	receipt := w.submit("coal at Nampo", "", "")
	_, queue := kim.get("/tips")
	id := tipLink.FindStringSubmatch(queue)[1]

	resp, _ := kim.postFiles("/tips/"+id+"/messages", url.Values{"message": {"Is this the ship you saw?"}}, map[string]string{"ship.jpg": string(photo)})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/tips/"+id+"#message-") {
		t.Fatalf("a photo with a message: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page := kim.get("/tips/" + id)
	if !regexp.MustCompile(`GPS position = <span class="pre">[^<]*</span> — removed`).MatchString(page) {
		t.Fatalf("the report should show the photo's GPS position as removed:\n%s", page)
	}

	resp, page = kim.postFiles("/tips/"+id+"/messages", url.Values{"message": {"Here is the contract."}}, map[string]string{"contract.docx": docx})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "contract.docx") || !strings.Contains(page, "Send other files as they are") ||
		!strings.Contains(page, ">Here is the contract.</textarea>") {
		t.Fatalf("a DOCX without the tick must be refused, the text kept (%d):\n%s", resp.StatusCode, page)
	}
	if msgs, _ := w.store.Messages(context.Background(), id); len(msgs) != 1 {
		t.Fatalf("a refused message was stored: %d messages", len(msgs))
	}
	resp, _ = kim.postFiles("/tips/"+id+"/messages", url.Values{"message": {"Here is the contract."}, "send_others_as_is": {"1"}}, map[string]string{"contract.docx": docx})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a DOCX sent as is: %d", resp.StatusCode)
	}
	_, page = kim.get("/tips/" + id)
	if !strings.Contains(page, "Not checked for metadata (sent as is)") {
		t.Fatalf("the report should mark the DOCX as sent as is:\n%s", page)
	}
	deskLinks := fileLink.FindAllStringSubmatch(page, -1)
	if len(deskLinks) != 2 {
		t.Fatalf("want the two files on the report page, got %d", len(deskLinks))
	}
	_, cleaned := kim.get(deskLinks[0][1])
	for _, identifying := range []string{"Samsung", "SM-G991B", "Kim Chol-su"} {
		if strings.Contains(cleaned, identifying) {
			t.Fatalf("the photo sent still carries %q", identifying)
		}
	}

	source := w.browser(w.source)
	_, status := source.post("/status", url.Values{"receipt": {receipt}})
	links := sourceFileLink.FindAllStringSubmatch(status, -1)
	if len(links) != 2 {
		t.Fatalf("the status page should link the desk's two files:\n%s", status)
	}
	for i, want := range []struct{ body, name, typ string }{{cleaned, "ship.jpg", "image/jpeg"}, {docx, "contract.docx", "application/octet-stream"}} {
		resp, body := source.get(links[i][1])
		h := resp.Header
		if resp.StatusCode != http.StatusOK || body != want.body {
			t.Fatalf("the source's download of %s: %d, %d bytes, want %d", want.name, resp.StatusCode, len(body), len(want.body))
		}
		if h.Get("Content-Disposition") != `attachment; filename="`+want.name+`"; filename*=UTF-8''`+want.name || h.Get("Content-Type") != want.typ ||
			h.Get("Cache-Control") != "no-store" || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("the source's download of %s has headers %v", want.name, h)
		}
	}
	if resp, body := source.get("/ko" + links[1][1]); resp.StatusCode != http.StatusOK || body != docx {
		t.Fatalf("the Korean site's download: %d", resp.StatusCode)
	}
	if resp, body := w.browser(w.source).get(links[1][1]); resp.StatusCode == http.StatusOK || strings.Contains(body, "word/document.xml") {
		t.Fatalf("without the receipt's session a file must not be served: %d", resp.StatusCode)
	}
}

var sourceFileLink = regexp.MustCompile(`href="(/status/files/[a-z0-9]{26})" download>`)

// postFiles sends a multipart form with files under "attachment".
func (b *browser) postFiles(path string, fields url.Values, files map[string]string) (*http.Response, string) {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, content := range files {
		fw, _ := mw.CreateFormFile("attachment", name)
		io.WriteString(fw, content)
	}
	mw.Close()
	return b.do("POST", path, &buf, mw.FormDataContentType())
}
