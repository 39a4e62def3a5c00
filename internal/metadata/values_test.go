package metadata

import (
	"bytes"
	"testing"

	"tipline/internal/visible"
)

// A value a file holds is shown to the sender and the analyst: a direction
// override or a zero-width character in it is shown escaped, never applied.
func TestReportedValuesShowHiddenCharacters(t *testing.T) {
	author := []byte("Author\x00\x00\x00en\x00\x00Kim\u202Eus-lohC\u200B")
	keyword := []byte("Ship\u202Ename\x00Chon Ma San")
	in := withChunks(plainPNG(t, 4, 4), nil, chunk("iTXt", author), chunk("tEXt", keyword))
	rep, err := CleanPNG(&bytes.Buffer{}, bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if !reportHas(rep, "author", `Kim\u202Eus-lohC\u200B`) {
		t.Errorf("the author should be shown escaped: %+v", rep.Items)
	}
	for _, it := range rep.Items {
		if visible.Hidden(it.Label) || visible.Hidden(it.Value) {
			t.Errorf("item %q = %q hides or reorders text", it.Label, it.Value)
		}
	}
}
