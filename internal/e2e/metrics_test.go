package e2e_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"tipline/internal/testenv"
)

// The operator's listener, against the real binary: health, readiness with
// its reason, and metrics that promtool accepts, count what happened, and
// carry no id of anything; none of it is on the source site or the desk.
func TestMetricsListener(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	promtool := testenv.Need(t, "promtool")
	bin, b, args := newInstallation(t)
	addr := freeAddr(t)
	srv := startTipline(t, bin, append(args, "--metrics", addr))
	base := "http://" + addr

	if status, body := get(t, base+"/healthz"); status != http.StatusOK || !strings.Contains(body, "ok") {
		t.Fatalf("/healthz: %d %s", status, body)
	}
	if status, body := get(t, base+"/readyz"); status != http.StatusServiceUnavailable || !strings.Contains(body, "no sanctions list") {
		t.Fatalf("/readyz with no list: %d %s", status, body)
	}
	if out, err := exec.Command(bin, "lists", "import", "--data", b.DataDir, "../../../shared/data/lists/un-1718-vessels/designated-vessels-2020-06-04.html").CombinedOutput(); err != nil {
		t.Fatalf("lists import: %v\n%s", err, out)
	}
	if status, body := get(t, base+"/readyz"); status != http.StatusOK {
		t.Fatalf("/readyz with a list: %d %s", status, body)
	}

	if _, err := crashSubmit(srv.url, "a report for the metrics"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.PostForm(srv.url+"/submit", url.Values{"message": {"no category, so invalid"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	newDeskClient(t, srv.desk).post(t, "/login", url.Values{"name": {"nobody"}, "password": {"wrong"}, "code": {"000000"}})

	_, metrics := get(t, base+"/metrics")
	for _, want := range []string{
		`tipline_submissions_total{outcome="accepted"} 1`,
		`tipline_submissions_total{outcome="invalid"} 1`,
		`tipline_desk_logins_total{outcome="fail"} 1`,
		`tipline_reports{status="new"} 1`,
		`tipline_list_age_seconds{source="un-vessels"}`,
		`tipline_free_disk_bytes`,
		`tipline_commit_seconds_count`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if m := regexp.MustCompile(`="[a-z0-9]{26}"|="[0-9a-f]{32,}"|=".*@.*"|="\d+\.\d+\.\d+\.\d+`).FindString(metrics); m != "" {
		t.Errorf("a label value looks like an id or an address: %s", m)
	}
	check := exec.Command(promtool, "check", "metrics")
	check.Stdin = strings.NewReader(metrics)
	var out bytes.Buffer
	check.Stdout, check.Stderr = &out, &out
	if err := check.Run(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out.String())
	}
	for _, site := range []string{srv.url, srv.desk} {
		for _, path := range []string{"/metrics", "/healthz", "/readyz"} {
			if status, _ := get(t, site+path); status == http.StatusOK {
				t.Errorf("%s%s is served", site, path)
			}
		}
	}
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
