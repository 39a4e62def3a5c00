package intake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"tipline/internal/receipt"
	"tipline/internal/seal"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// openFirstFile opens, with the recovery identity, the first file of the tip
// a receipt names.
func (s *site) openFirstFile(t *testing.T, rcpt string) (tip.File, []byte) {
	t.Helper()
	ctx := context.Background()
	readings, _ := receipt.Parse(rcpt)
	tp, err := s.store.TipByReceipt(ctx, readings[0].LookupID())
	if err != nil {
		t.Fatal(err)
	}
	wrapped, _ := s.store.WrappedKey(ctx, tp.ID, "recovery")
	key, err := seal.Unwrap(wrapped, s.recovery)
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := s.store.TipContent(ctx, tp.ID)
	plain, _ := seal.OpenBytes(sealed, key)
	var rep tip.Report
	json.Unmarshal(plain, &rep)
	if len(rep.Files) == 0 {
		t.Fatal("no file in the report")
	}
	blob, err := s.store.OpenBlob(ctx, tp.ID, rep.Files[0].BlobID)
	if err != nil {
		t.Fatal(err)
	}
	r, err := seal.Open(blob.Reader(), key)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(r)
	return rep.Files[0], data
}

// By default a photo's location and camera are removed before sealing, and
// the confirmation says so; ticking keep_metadata keeps them.
func TestPhotoMetadataRemovedUnlessKept(t *testing.T) {
	photo, err := os.ReadFile("../metadata/testdata/exif-gps.jpg")
	if err != nil {
		t.Fatal(err)
	}
	s := newSite(t, storetest.Backends(t)[0], siteOptions{})
	c := s.client(t)

	resp, page := c.postMultipart("/submit", form{
		fields: [][2]string{{"category", "ship_to_ship"}, {"message", "photo of the transfer"}},
		files:  [][2]string{{"IMG_0001.jpg", string(photo)}},
	})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "GPS") || !strings.Contains(page, ">removed<") {
		t.Fatalf("confirmation should list GPS as removed (%d):\n%s", resp.StatusCode, page)
	}
	file, data := s.openFirstFile(t, receiptOf(page))
	// The fixture names its camera and owner; only an orientation tag may
	// survive cleaning.
	for _, identifying := range []string{"Samsung", "SM-G991B", "Kim Chol-su", "2025:03:14"} {
		if bytes.Contains(data, []byte(identifying)) {
			t.Fatalf("sealed photo still carries %q", identifying)
		}
	}
	if file.Metadata.Items[0].Removed != true {
		t.Fatal("the sealed metadata report should record the removal")
	}

	resp, page = c.postMultipart("/submit", form{
		fields: [][2]string{{"category", "ship_to_ship"}, {"message", "photo, metadata kept"}, {"keep_metadata", "1"}},
		files:  [][2]string{{"IMG_0002.jpg", string(photo)}},
	})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "kept, as you asked") {
		t.Fatalf("confirmation should list metadata as kept (%d)", resp.StatusCode)
	}
	if _, data := s.openFirstFile(t, receiptOf(page)); !bytes.Equal(data, photo) {
		t.Fatal("a photo whose metadata the source kept must be sealed unchanged")
	}
}

// Types Tipline cannot clean are refused unless the source sends them as
// they are, and then marked as not checked.
func TestOtherFileTypesNeedConsent(t *testing.T) {
	s := newSite(t, storetest.Backends(t)[0], siteOptions{})
	c := s.client(t)
	docx := "PK\x03\x04\x14\x00\x06\x00" + strings.Repeat("\x00", 40) + "[Content_Types].xml word/document.xml"
	f := form{fields: [][2]string{{"category", "front_companies"}, {"message", "the contract"}}, files: [][2]string{{"contract.docx", docx}}}
	resp, page := c.postMultipart("/submit", f)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "contract.docx") || !strings.Contains(page, "send my other files as they are") {
		t.Fatalf("a DOCX without consent must be refused with a clear message (%d):\n%s", resp.StatusCode, page)
	}
	f.fields = append(f.fields, [2]string{"send_others_as_is", "1"})
	resp, page = c.postMultipart("/submit", f)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "could not check it") {
		t.Fatalf("a DOCX sent as is should be accepted and marked unchecked (%d)", resp.StatusCode)
	}
	if _, data := s.openFirstFile(t, receiptOf(page)); string(data) != docx {
		t.Fatal("a file sent as is must be sealed unchanged")
	}
}
