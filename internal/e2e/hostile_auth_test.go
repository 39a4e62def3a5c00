package e2e_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"tipline/internal/qrtest"
)

// The second-factor attacks of the hostile review, against the real binary:
// after an admin resets kim's second factor, kim's password alone — with
// any code — opens nothing; an enrolment session started by someone holding
// the password and the code never becomes a desk session when the real kim
// enrols; and without a configured desk origin, the security-key login is
// off even for a request that claims to be for "localhost", so it cannot be
// used to test passwords around the second factor.
func TestHostileSecondFactorAttacksFail(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	bin, _, args := newInstallation(t)
	kim := cliAddUser(t, bin, args, "kim", "analyst", "kim's long passphrase here")
	root := cliAddUser(t, bin, args, "root", "admin", "root's long passphrase here")
	srv := startTipline(t, bin, args)
	crashSubmit(srv.url, "a report only kim's desk session may open")

	admin := newDeskClient(t, srv.desk)
	admin.login(t, root, root.code(t))
	_, users := admin.get(t, "/admin/users")
	id := userIDOf(t, users, "kim")
	resp, page := admin.post(t, "/admin/users/"+id+"/reset-totp", nil)
	m := regexp.MustCompile(`<code id="enrol-code">([^<]+)</code>`).FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("reset: %d, no enrolment code", resp.StatusCode)
	}
	enrolCode := m[1]

	// The password with any code, or with none, gets nothing.
	for _, code := range []string{"000000", "", kim.code(t)} {
		attacker := newDeskClient(t, srv.desk)
		resp, _ := attacker.post(t, "/login", url.Values{"name": {"kim"}, "password": {kim.password}, "code": {code}})
		if resp.StatusCode != http.StatusUnauthorized || len(resp.Cookies()) != 0 {
			t.Fatalf("password and code %q after a reset: %d %v", code, resp.StatusCode, resp.Cookies())
		}
		if resp, body := attacker.get(t, "/account/totp.png"); resp.StatusCode == http.StatusOK || strings.HasPrefix(body, "\x89PNG") {
			t.Fatal("the QR code of the new second factor was shown without the enrolment code")
		}
	}

	// Someone with the password and the code starts an enrolment and keeps
	// its cookie; the real kim enrols; the kept cookie opens nothing.
	early := newDeskClient(t, srv.desk)
	resp, _ = early.post(t, "/login", url.Values{"name": {"kim"}, "password": {kim.password}, "enrol_code": {enrolCode}})
	var kept string
	for _, c := range resp.Cookies() {
		if c.Name == "tipline_enrol" {
			kept = c.Value
		}
	}
	if kept == "" {
		t.Fatalf("no enrolment session: %d", resp.StatusCode)
	}
	real := newDeskClient(t, srv.desk)
	real.post(t, "/login", url.Values{"name": {"kim"}, "password": {kim.password}, "enrol_code": {enrolCode}})
	_, png := real.get(t, "/account/totp.png")
	key, err := otp.NewKeyFromURL(qrtest.Decode(t, []byte(png)))
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(key.Secret(), time.Now())
	if resp, page := real.post(t, "/account/enrol", url.Values{"enrol_code": {enrolCode}, "code": {code}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the real enrolment: %d\n%s", resp.StatusCode, page)
	}
	if resp, _ := real.get(t, "/tips"); resp.StatusCode != http.StatusOK {
		t.Fatalf("kim after enrolling: %d", resp.StatusCode)
	}
	for _, name := range []string{"tipline_desk", "tipline_enrol"} {
		thief := newDeskClient(t, srv.desk)
		u, _ := url.Parse(srv.desk)
		thief.c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: kept, Path: "/"}})
		if resp, page := thief.get(t, "/tips"); resp.StatusCode != http.StatusSeeOther || strings.Contains(page, "kim's desk session") {
			t.Fatalf("the kept enrolment cookie, sent as %s: %d", name, resp.StatusCode)
		}
	}

	// The security-key login is off without --desk-origin, whatever the
	// Host header says, for a right password as for a wrong one.
	for _, pw := range []string{root.password, "not the password at all"} {
		req, _ := http.NewRequest("POST", srv.desk+"/login/webauthn", strings.NewReader(url.Values{"name": {"root"}, "password": {pw}}.Encode()))
		req.Host = "localhost"
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("security-key login as localhost without --desk-origin: %d", resp.StatusCode)
		}
	}
}

type cliUser struct {
	name, password, secret string
	lastCode               string
}

// code returns the user's current TOTP code, waiting for the next step if
// the current one was used already (a code is accepted once).
func (u *cliUser) code(t *testing.T) string {
	for {
		c, _ := totp.GenerateCode(u.secret, time.Now())
		if c != u.lastCode {
			u.lastCode = c
			return c
		}
		time.Sleep(time.Second)
	}
}

// cliAddUser adds a desk user with `tipline user add`, as an operator would.
func cliAddUser(t *testing.T, bin string, args []string, name, role, password string) *cliUser {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"user", "add", "--name", name, "--role", role}, args...)...)
	cmd.Stdin = strings.NewReader(password + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("user add %s: %v", name, err)
	}
	var created struct {
		TOTPURI string `json:"totp_uri"`
	}
	if err := json.Unmarshal(out, &created); err != nil {
		t.Fatalf("user add printed %q: %v", out, err)
	}
	key, err := otp.NewKeyFromURL(created.TOTPURI)
	if err != nil {
		t.Fatal(err)
	}
	return &cliUser{name: name, password: password, secret: key.Secret()}
}

// deskClient is a browser without JavaScript: a cookie jar, no redirects.
type deskClient struct {
	c    *http.Client
	base string
}

func newDeskClient(t *testing.T, base string) *deskClient {
	jar, _ := cookiejar.New(nil)
	return &deskClient{base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (d *deskClient) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	resp, err := d.c.Get(d.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (d *deskClient) post(t *testing.T, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := d.c.PostForm(d.base+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (d *deskClient) login(t *testing.T, u *cliUser, code string) {
	t.Helper()
	if resp, page := d.post(t, "/login", url.Values{"name": {u.name}, "password": {u.password}, "code": {code}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login of %s: %d\n%s", u.name, resp.StatusCode, page)
	}
}

// userIDOf finds a user's id on the admin's users page.
func userIDOf(t *testing.T, usersPage, name string) string {
	t.Helper()
	row := regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	id := regexp.MustCompile(`/admin/users/([a-z0-9]{26})/`)
	for _, r := range row.FindAllStringSubmatch(usersPage, -1) {
		if strings.Contains(r[1], ">"+name+"<") {
			if m := id.FindStringSubmatch(r[1]); m != nil {
				return m[1]
			}
		}
	}
	t.Fatalf("no user %s on the users page", name)
	return ""
}
