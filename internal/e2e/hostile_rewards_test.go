package e2e_test

import (
	"database/sql"
	"html"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tipline/internal/store"
)

// The mismatched payment of the hostile review, against the real binary: a
// committee member records a payment that differs from the approval — more
// dollars, another currency, a crypto payment said to be worth more — and
// each is refused with a page that says why; and a payment edited in the
// database behind Tipline's back makes `tipline rewards verify` fail, naming
// the reward.
func TestHostileMismatchedPaymentFails(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	bin, b, args := newInstallation(t)
	kim := cliAddUser(t, bin, args, "kim", "analyst", "kim's long passphrase here")
	judges := []*cliUser{
		cliAddUser(t, bin, args, "judge-one", "committee", "the first judge's passphrase"),
		cliAddUser(t, bin, args, "judge-two", "committee", "the second judge's passphrase"),
	}
	srv := startTipline(t, bin, args)
	if _, err := crashSubmit(srv.url, "the tanker's cargo was seized after my report"); err != nil {
		t.Fatal(err)
	}

	analyst := newDeskClient(t, srv.desk)
	analyst.login(t, kim, kim.code(t))
	_, queue := analyst.get(t, "/tips")
	m := regexp.MustCompile(`href="/tips/([a-z0-9]{26})"`).FindStringSubmatch(queue)
	if m == nil {
		t.Fatal("kim's queue shows no report")
	}
	resp, _ := analyst.post(t, "/tips/"+m[1]+"/rewards", url.Values{"amount": {"250000"}, "justification": {"the cargo was seized"}})
	rid, found := strings.CutPrefix(resp.Header.Get("Location"), "/rewards/")
	if resp.StatusCode != http.StatusSeeOther || !found {
		t.Fatalf("recommendation: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	committee := make([]*deskClient, len(judges))
	for i, j := range judges {
		committee[i] = newDeskClient(t, srv.desk)
		committee[i].login(t, j, j.code(t))
		if resp, _ := committee[i].post(t, "/rewards/"+rid+"/approve", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("approval by %s: %d", j.name, resp.StatusCode)
		}
	}

	for _, c := range []struct {
		form url.Values
		says string
	}{
		{url.Values{"amount": {"2500000"}, "currency": {"USD"}, "method": {"bank"}}, "US$250,000 was approved, but the payment records 2500000 USD"},
		{url.Values{"amount": {"250000"}, "currency": {"EUR"}, "method": {"bank"}, "usd_value": {"250000"}}, "a bank payment is made in USD, not EUR"},
		{url.Values{"amount": {"40"}, "currency": {"XBT"}, "method": {"crypto"}, "usd_value": {"2500000"}}, "the 40 XBT paid are recorded as worth US$2,500,000"},
	} {
		resp, page := committee[0].post(t, "/rewards/"+rid+"/payments", c.form)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(html.UnescapeString(page), c.says) {
			t.Fatalf("a mismatched payment %v: want 409 saying %q, got %d\n%s", c.form, c.says, resp.StatusCode, page)
		}
	}
	if resp, page := committee[1].post(t, "/rewards/"+rid+"/payments", url.Values{"amount": {"250,000"}, "currency": {"USD"}, "method": {"bank"}, "reference": {"TX-1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the payment of the approved amount: %d\n%s", resp.StatusCode, page)
	}

	verify := exec.Command(bin, append([]string{"rewards", "verify"}, args...)...)
	if out, err := verify.CombinedOutput(); err != nil || !strings.Contains(string(out), "rewards ledger reconciles: 1 reward") {
		t.Fatalf("rewards verify of an honest ledger: %v\n%s", err, out)
	}

	// Someone with the database's file raises the payment behind Tipline's back.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(b.DataDir, store.DBFile)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE reward_ledger SET amount = 2500000, paid = '2500000' WHERE kind = 'pay'`); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, append([]string{"rewards", "verify"}, args...)...).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "reward "+rid) || !strings.Contains(string(out), "differs from the approval") {
		t.Fatalf("rewards verify of a tampered payment must fail naming reward %s: %v\n%s", rid, err, out)
	}
}
