package upload

import (
	"slices"
	"testing"

	"tipline/internal/metadata"
)

// The confirmation page lists what was found by category, where the file
// was taken first, whatever order the file held it in.
func TestReportOfGroupsByCategory(t *testing.T) {
	rep := metadata.Report{Items: []metadata.Item{
		{Category: metadata.Software, Label: "creating application", Value: "Word", Action: metadata.Removed},
		{Category: metadata.Location, Label: "GPS position", Value: "39.0° N", Action: metadata.Removed},
		{Category: metadata.Author, Label: "author", Value: "Kim", Action: metadata.Kept},
		{Category: metadata.Location, Label: "city", Value: "Nampo", Action: metadata.Removed},
	}}
	got := reportOf(rep)
	var labels []string
	for _, it := range got.Items {
		labels = append(labels, it.Label)
	}
	if want := []string{"GPS position", "city", "author", "creating application"}; !slices.Equal(labels, want) {
		t.Fatalf("items in the order %q, want %q", labels, want)
	}
	if !got.Checked || got.Items[2].Removed || !got.Items[0].Removed || got.Items[1].Category != "location" {
		t.Fatalf("items not carried over: %+v", got)
	}
}
