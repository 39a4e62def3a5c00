package desk_test

import (
	"archive/tar"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"testing"

	"tipline/internal/seal"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// A report exported to a partner's age key opens with that key alone, and
// holds the text, files, messages and notes.
func TestExportIsSealedToTheGivenRecipient(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	kim := w.login(w.addUser("kim", tip.RoleAnalyst))
	w.submit("cargo manifest attached", "manifest.txt", "12 crates")
	_, queue := kim.get("/tips")
	id := tipLink.FindStringSubmatch(queue)[1]
	kim.post("/tips/"+id+"/notes", url.Values{"note": {"matches the port records"}})
	kim.post("/tips/"+id+"/messages", url.Values{"message": {"thank you"}})

	partner, _ := seal.NewKey()
	resp, body := kim.post("/tips/"+id+"/export", url.Values{"recipient": {partner.Recipient().String()}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", resp.StatusCode)
	}
	if bytes.Contains([]byte(body), []byte("cargo manifest")) {
		t.Fatal("the export carries plaintext")
	}
	plain, err := seal.Open(bytes.NewReader([]byte(body)), partner)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	tr := tar.NewReader(plain)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		got[h.Name] = string(b)
	}
	for name, want := range map[string]string{"report.json": "cargo manifest attached", "notes.json": "matches the port records",
		"messages.json": "thank you", "files/01-manifest.txt": "12 crates"} {
		if !bytes.Contains([]byte(got[name]), []byte(want)) {
			t.Errorf("%s lacks %q (archive: %v)", name, want, keys(got))
		}
	}
	if resp, _ := kim.post("/tips/"+id+"/export", url.Values{"recipient": {"not a key"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a bad recipient must be refused: %d", resp.StatusCode)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
