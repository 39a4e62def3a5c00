package listfmt

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		path string
		want Format
	}{
		{"testdata/un-small.xml", FormatUN},
		{"testdata/ofac-small.xml", FormatOFACXML},
		{"testdata/vessels-small.html", FormatUNVessels},
		{"testdata/ofac-set", FormatOFACCSV},
		{"testdata/ofac-set/sdn.csv", FormatOFACCSV},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, err := Detect(tt.path)
			if err != nil || got != tt.want {
				t.Errorf("Detect = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDetectSnapshots(t *testing.T) {
	tests := []struct {
		file string
		want Format
	}{
		{un2026, FormatUN}, {un2018, FormatUN}, {ofac2024, FormatOFACCSV}, {ofac2023, FormatOFACCSV},
		{ofac2021, FormatOFACCSV}, {ofacXML, FormatOFACXML}, {unVessels, FormatUNVessels},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Detect(snapshot(t, tt.file))
			if err != nil || got != tt.want {
				t.Errorf("Detect = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestDetectRefuses shows the hints given for files that are not a list.
func TestDetectRefuses(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content, want string
	}{
		{"alt.csv", `36,12,"aka","AERO-CARIBBEAN",-0- ` + "\r\n", "looks like alt.csv, add.csv or sdn_comments.csv; import the folder that holds sdn.csv"},
		{"advanced.xml", `<?xml version="1.0"?><Sanctions xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML">`, "OFAC's advanced XML is not supported"},
		{"eu.xml", `<?xml version="1.0"?><!-- EU --><export generationDate="2024-01-01">`, "XML with root element export"},
		{"page.html", "<!DOCTYPE html><html><title>News</title>", "an HTML document that is not the 1718 Designated Vessels List"},
		{"notes.txt", "Chon Myong 1, IMO 8712362", "unknown list format"},
		{"empty", "", "unknown list format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Detect(path)
			if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Detect error = %v, want ErrUnknownFormat with %q", err, tt.want)
			}
			if _, err := ParseFile(path); err == nil {
				t.Errorf("ParseFile accepted it")
			}
		})
	}
	t.Run("folder without sdn.csv", func(t *testing.T) {
		_, err := Detect(dir)
		if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), "a folder must hold the OFAC CSV set") {
			t.Errorf("Detect error = %v", err)
		}
	})
}

// TestParseFileHash checks that the hash is that of the file, or for a set
// the sha256sum-style digest of its files, and that errors name the path.
func TestParseFileHash(t *testing.T) {
	single, err := ParseFile("testdata/ofac-set/sdn.csv")
	if err != nil {
		t.Fatal(err)
	}
	set, err := ParseFile("testdata/ofac-set")
	if err != nil {
		t.Fatal(err)
	}
	if single.SHA256 == set.SHA256 || len(single.SHA256) != 64 || len(set.SHA256) != 64 {
		t.Errorf("hashes %q and %q", single.SHA256, set.SHA256)
	}
	if len(single.Entries) != len(set.Entries) || len(single.Entries[1].Names) >= len(set.Entries[1].Names) {
		t.Errorf("sdn.csv alone should have the same entries with fewer names")
	}
	// sha256sum testdata/ofac-set/sdn.csv
	const sdnSum = "e8143c45a89ff23c60def43f73ae5fa09b64ec62eee39fa6006701ea52fc7451"
	if single.SHA256 != sdnSum {
		t.Errorf("SHA256 = %s, want %s", single.SHA256, sdnSum)
	}

	bad := filepath.Join(t.TempDir(), "sdn.csv")
	if err := os.WriteFile(bad, []byte(sdnRow("1", "X", "-0- ", "-0- ")), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = ParseFile(bad)
	if err == nil || !strings.HasPrefix(err.Error(), bad+": ofac csv: sdn.csv: after line 1:") {
		t.Errorf("error = %v, want it to start with the path", err)
	}
}

// OFAC's specification writes the file names in capitals; a folder saved
// that way is the same set.
func TestParseFileUpperCaseSet(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata/ofac-set", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, strings.ToUpper(name)), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	upper, err := ParseFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	lower, err := ParseFile("testdata/ofac-set")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(upper, lower) {
		t.Errorf("the upper-case set parses differently")
	}
}
