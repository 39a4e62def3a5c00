package e2e_test

import (
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
)

// The admin attack of the hostile review, against the real binary: an admin
// revokes the receipt's and the recovery key's copies of an offer's report
// keys, then the analyst's, to leave reports no one can open. Every step is
// refused with the reason, and every report still opens for its analyst —
// and with its receipt, where the source kept it.
func TestHostileAdminCannotDestroyReports(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	bin := buildTipline(t)
	b := storetest.Backends(t)[0]
	args := []string{"--data", b.DataDir}
	if out, err := exec.Command(bin, append([]string{"init"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	kim := cliAddUser(t, bin, args, "kim", "analyst", "kim's long passphrase here")
	root := cliAddUser(t, bin, args, "root", "admin", "root's long passphrase here")
	ann := cliAddUser(t, bin, args, "ann", "auditor", "ann's long passphrase here")
	srv := startTipline(t, bin, args)

	// One source keeps their receipt; the other ends its access, so kim's
	// copy is the last one a person can open.
	kept, err := crashSubmit(srv.url, "a report whose source kept the receipt")
	if err != nil {
		t.Fatal(err)
	}
	ended, err := crashSubmit(srv.url, "a report whose source ended the receipt")
	if err != nil {
		t.Fatal(err)
	}
	source := newDeskClient(t, srv.url)
	if _, page := source.post(t, "/status", url.Values{"receipt": {ended}}); !strings.Contains(page, "ended the receipt") {
		t.Fatal("the second receipt does not open its report")
	}
	if resp, _ := source.post(t, "/status/end", url.Values{"confirm": {"1"}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("ending the receipt's access: %d", resp.StatusCode)
	}

	admin := newDeskClient(t, srv.desk)
	admin.login(t, root, root.code(t))
	_, settings := admin.get(t, "/admin/settings")
	m := regexp.MustCompile(`action="/admin/offers/([a-z0-9]{26})/recipients/remove"[^>]*><input type="hidden" name="holder" value="(user:[a-z0-9]{26})"`).FindStringSubmatch(settings)
	if m == nil {
		t.Fatalf("no recipient of the default offer on the settings page:\n%s", settings)
	}
	remove, kimHolder := "/admin/offers/"+m[1]+"/recipients/remove", m[2]

	for _, attempt := range []struct {
		holder string
		status int
		reason string
	}{
		{"receipt", http.StatusForbidden, "never granted, revoked or removed from the desk"},
		{"recovery", http.StatusForbidden, "never granted, revoked or removed from the desk"},
		{kimHolder, http.StatusConflict, "1 report would be left with only the offline recovery key"},
	} {
		resp, page := admin.post(t, remove, url.Values{"holder": {attempt.holder}, "revoke": {"1"}})
		if resp.StatusCode != attempt.status || !strings.Contains(page, attempt.reason) {
			t.Fatalf("revoke holder=%s: got %d, want %d saying %q\n%s", attempt.holder, resp.StatusCode, attempt.status, attempt.reason, page)
		}
	}

	if page, err := crashStatus(srv.url, kept); err != nil || !strings.Contains(page, "a report whose source kept the receipt") {
		t.Fatalf("the kept receipt no longer opens its report: %v", err)
	}
	analyst := newDeskClient(t, srv.desk)
	analyst.login(t, kim, kim.code(t))
	_, queue := analyst.get(t, "/tips")
	links := regexp.MustCompile(`href="/tips/([a-z0-9]{26})"`).FindAllStringSubmatch(queue, -1)
	if len(links) != 2 {
		t.Fatalf("kim should still have both reports, has %d", len(links))
	}
	var read []string
	for _, l := range links {
		resp, page := analyst.get(t, "/tips/"+l[1])
		for _, text := range []string{"a report whose source kept the receipt", "a report whose source ended the receipt"} {
			if resp.StatusCode == http.StatusOK && strings.Contains(page, text) {
				read = append(read, text)
			}
		}
	}
	if len(read) != 2 {
		t.Fatalf("kim should read both reports after the attack, read %q", read)
	}
	if _, settings := admin.get(t, "/admin/settings"); !strings.Contains(settings, `value="`+kimHolder+`"`) {
		t.Fatal("a refused revoke unsubscribed kim from the offer")
	}

	// The attempts are on the auditor's page.
	auditor := newDeskClient(t, srv.desk)
	auditor.login(t, ann, ann.code(t))
	_, log := auditor.get(t, "/audit")
	if n := strings.Count(log, "<td>revoke.refused</td>"); n != 3 {
		t.Fatalf("the auditor's page shows %d refused revokes, want 3", n)
	}
}
