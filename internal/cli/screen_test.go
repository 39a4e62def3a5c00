package cli_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tipline/internal/cli"
	"tipline/internal/screen"
	"tipline/internal/testenv"
)

const lists = "../../../shared/data/lists/"

var snapshots = []string{
	lists + "un/consolidated-2026-02-27.xml",
	lists + "ofac/2024-05-03/sdn.csv",
	lists + "un-1718-vessels/designated-vessels-2020-06-04.html",
}

// run runs the tipline command and returns its exit code and output.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// installation creates a data folder, with the given lists imported.
func installation(t *testing.T, paths ...string) string {
	t.Helper()
	testenv.NeedFile(t, lists)
	data := filepath.Join(t.TempDir(), "data")
	if code, _, errs := run(t, "", "init", "--data", data); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	if len(paths) > 0 {
		args := append([]string{"lists", "import", "--data", data}, paths...)
		if code, out, errs := run(t, "", args...); code != 0 {
			t.Fatalf("lists import: %d\n%s\n%s", code, out, errs)
		}
	}
	return data
}

func screenJSON(t *testing.T, data string, queries ...string) []screen.Result {
	t.Helper()
	code, out, errs := run(t, "", append([]string{"screen", "--data", data, "--json"}, queries...)...)
	if code != 0 {
		t.Fatalf("screen: exit %d: %s", code, errs)
	}
	var res []screen.Result
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r screen.Result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("bad JSON line %q: %v", line, err)
		}
		res = append(res, r)
	}
	if len(res) != len(queries) {
		t.Fatalf("%d results for %d queries", len(res), len(queries))
	}
	return res
}

func hasHit(r screen.Result, key string) *screen.Hit {
	for i, h := range r.Hits {
		if string(h.Source)+":"+h.ID == key {
			return &r.Hits[i]
		}
	}
	return nil
}

func TestScreenSnapshots(t *testing.T) {
	data := installation(t, snapshots...)
	res := screenJSON(t, data, "Chon Myong 1", "IMO 8712362", "IMO 8712363",
		"0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "Умаров Доку Хаматович", "최룡해",
		"Ingeborg Abrahamsen", "the tanker Chon Myong 1 met a ship off Nampo")
	for _, i := range []int{0, 1, 7} {
		v, o := hasHit(res[i], "un-vessels:8712362"), hasHit(res[i], "ofac:23726")
		if v == nil || o == nil {
			t.Fatalf("%q: hits %+v, want un-vessels:8712362 and ofac:23726", res[i].Query, res[i].Hits)
		}
		if !slices.Contains(v.SameAs, "ofac:23726") || !slices.Contains(o.SameAs, "un-vessels:8712362") {
			t.Errorf("%q: same_as %v and %v do not link the two entries", res[i].Query, v.SameAs, o.SameAs)
		}
	}
	if h := hasHit(res[1], "un-vessels:8712362"); h.Score != 1 || !strings.Contains(h.Why, "IMO 8712362 is the ship IMO number") || !strings.Contains(h.Why, "(2020-06-04)") {
		t.Errorf("IMO hit: %+v", h)
	}
	if len(res[2].Hits) != 0 || len(res[2].Warnings) != 1 || !strings.Contains(res[2].Warnings[0], "check digit") {
		t.Errorf("wrong check digit: hits %+v, warnings %v", res[2].Hits, res[2].Warnings)
	}
	if h := hasHit(res[3], "ofac:27307"); h == nil || h.Kind != screen.KindWallet {
		t.Errorf("Lazarus wallet: %+v", res[3].Hits)
	}
	if hasHit(res[4], "un:QDi.290") == nil {
		t.Errorf("Cyrillic name: %+v", res[4].Hits)
	}
	if hasHit(res[5], "ofac:23213") == nil {
		t.Errorf("Hangul name: %+v", res[5].Hits)
	}
	if len(res[6].Hits) != 0 {
		t.Errorf("a name on no list: %+v", res[6].Hits)
	}
	// Weaker candidates are listed apart, under the threshold.
	kim := screenJSON(t, data, "Kim Jong Il")[0]
	if len(kim.Possible) == 0 {
		t.Errorf("Kim Jong Il: no possible matches")
	}
	for _, h := range kim.Possible {
		if h.Score >= screen.DefaultThreshold || h.Score < screen.DefaultPossible || hasHit(kim, string(h.Source)+":"+h.ID) != nil {
			t.Errorf("Kim Jong Il: possible %+v", h)
		}
	}
}

func TestScreenStdinAndTable(t *testing.T) {
	data := installation(t, snapshots[2])
	code, out, _ := run(t, "IMO 8712362\nNo Such Ship\n", "screen", "--data", data)
	if code != 0 || !strings.Contains(out, "un-vessels:8712362") || !strings.Contains(out, "no hits") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	code, out, _ = run(t, "IMO 8712362\nNo Such Ship\n", "screen", "--data", data, "--json")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != 0 || len(lines) != 2 || !strings.Contains(lines[1], `"hits":[]`) {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestScreenErrors(t *testing.T) {
	data := installation(t)
	code, _, errs := run(t, "", "screen", "--data", data, "Chon Myong 1")
	if code == 0 || !strings.Contains(errs, "hint: import lists first") {
		t.Errorf("no lists: exit %d, %s", code, errs)
	}
	if code, _, _ := run(t, "", "screen", "--data", data, "--threshold", "2", "x"); code != 2 {
		t.Errorf("bad threshold: exit %d, want 2", code)
	}
	if code, _, _ := run(t, "", "screen", "--data", data, "--possible", "0.9", "x"); code != 2 {
		t.Errorf("--possible above --threshold: exit %d, want 2", code)
	}
	if code, _, _ := run(t, "", "screen", "x"); code != 2 {
		t.Errorf("no --data: exit %d, want 2", code)
	}
}

func TestListsImportRefusesTruncatedFile(t *testing.T) {
	data := installation(t, snapshots[2])
	full, err := os.ReadFile(snapshots[2])
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "vessels.html")
	os.WriteFile(cut, full[:len(full)*2/3], 0o600)
	code, _, errs := run(t, "", "lists", "import", "--data", data, cut)
	if code != 1 || !strings.Contains(errs, "truncated") || !strings.Contains(errs, "list in force is unchanged") {
		t.Fatalf("truncated import: exit %d: %s", code, errs)
	}
	_, out, _ := run(t, "", "lists", "--data", data)
	if strings.Count(out, "un-vessels") != 1 || !strings.Contains(out, "current") {
		t.Fatalf("versions after a refused import:\n%s", out)
	}
	if r := screenJSON(t, data, "IMO 8712362")[0]; hasHit(r, "un-vessels:8712362") == nil {
		t.Fatal("the version in force was lost")
	}
}

func TestListsDownloadAndDiff(t *testing.T) {
	files := map[string]string{
		"/un.xml":                  lists + "un/consolidated-2018-10-29.xml",
		"/un-new.xml":              lists + "un/consolidated-2026-02-27.xml",
		"/ofac/SDN.CSV":            lists + "ofac/2021-07-full/sdn.csv",
		"/ofac/ALT.CSV":            lists + "ofac/2021-07-full/alt.csv",
		"/ofac/ADD.CSV":            lists + "ofac/2021-07-full/add.csv",
		"/ofac/SDN_COMMENTS.CSV":   lists + "ofac/2021-07-full/sdn_comments.csv",
		"/1718/designated-vessels": snapshots[2],
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := files[r.URL.Path]; ok {
			http.ServeFile(w, r, p)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	data := installation(t)
	download := func(un string, imported int) {
		t.Helper()
		code, out, errs := run(t, "", "lists", "download", "--data", data, "--url", "un="+srv.URL+un,
			"--url", "ofac="+srv.URL+"/ofac", "--url", "un-vessels="+srv.URL+"/1718/designated-vessels")
		if code != 0 || strings.Count(out, "Imported") != imported || strings.Count(out, "Unchanged") != 3-imported {
			t.Fatalf("download: exit %d\n%s\n%s", code, out, errs)
		}
	}
	download("/un.xml", 3)
	// Only the UN list changed: the others are the files in force.
	download("/un-new.xml", 1)
	code, out, errs := run(t, "", "lists", "diff", "--data", data, "un")
	if code != 0 || !strings.Contains(out, "added") || !strings.Contains(out, "\n+ ") {
		t.Fatalf("diff: exit %d\n%s\n%s", code, out, errs)
	}
	code, _, errs = run(t, "", "lists", "download", "--data", data, "--url", "un="+srv.URL+"/missing", "--url", "ofac="+srv.URL+"/ofac")
	if code != 1 || !strings.Contains(errs, "404") {
		t.Fatalf("download of a missing file: exit %d: %s", code, errs)
	}
}
