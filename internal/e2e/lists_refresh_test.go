package e2e_test

import (
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// The real binary refreshes the lists from a local server on its cadence:
// it imports them, refuses an older UN file and a missing OFAC set while
// keeping the versions in force, and warns the analysts on the queue page,
// naming the sources and since when.
func TestServeRefreshesListsAndWarnsOfFailures(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	const lists = "../../../shared/data/lists/"
	var mu sync.Mutex
	files := map[string]string{
		"/un.xml":       lists + "un/consolidated-2026-02-27.xml",
		"/ofac/SDN.CSV": lists + "ofac/2024-05-03/sdn.csv",
		"/vessels":      lists + "un-1718-vessels/designated-vessels-2020-06-04.html",
	}
	listServer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		p, ok := files[r.URL.Path]
		mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, p)
	}))
	defer listServer.Close()

	bin, b, args := newInstallation(t)
	kim := cliAddUser(t, bin, args, "kim", "analyst", "kim's long passphrase here")
	srv := startTipline(t, bin, append(args, "--lists-refresh", "2s", "--lists-max-age", "100000h",
		"--lists-url", "un="+listServer.URL+"/un.xml", "--lists-url", "ofac="+listServer.URL+"/ofac",
		"--lists-url", "un-vessels="+listServer.URL+"/vessels"))
	waitFor(t, "the three lists in force", func() bool {
		out, _ := exec.Command(bin, "lists", "--data", b.DataDir).CombinedOutput()
		return strings.Count(string(out), "current") == 3
	})

	mu.Lock()
	files["/un.xml"] = lists + "un/consolidated-2018-10-29.xml"
	delete(files, "/ofac/SDN.CSV")
	mu.Unlock()
	waitFor(t, "the failures recorded", func() bool {
		out, _ := exec.Command(bin, "lists", "--data", b.DataDir).CombinedOutput()
		return strings.Contains(string(out), "2026-02-27") && !strings.Contains(string(out), "2018-10-29")
	})
	time.Sleep(5 * time.Second) // two more rounds
	out, _ := exec.Command(bin, "lists", "--data", b.DataDir).CombinedOutput()
	if strings.Contains(string(out), "2018-10-29") || strings.Count(string(out), "current") != 3 {
		t.Fatalf("an older or missing list changed what is in force:\n%s", out)
	}
	analyst := newDeskClient(t, srv.desk)
	analyst.login(t, kim, kim.code(t))
	_, queue := analyst.get(t, "/tips")
	start := strings.Index(queue, `id="lists-warning"`)
	if start < 0 {
		t.Fatalf("no lists warning on the queue page:\n%s", queue)
	}
	warning := queue[start:min(len(queue), start+1000)]
	for _, want := range []string{"The un list has failed to refresh since", "The ofac list has failed to refresh since"} {
		if !strings.Contains(warning, want) {
			t.Errorf("the warning lacks %q:\n%s", want, warning)
		}
	}
}

// waitFor polls cond for up to 30 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(250 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
