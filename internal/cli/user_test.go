package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"tipline/internal/account"
	"tipline/internal/auth"
	"tipline/internal/install"
	"tipline/internal/intake"
	"tipline/internal/qrtest"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// tipline user add reads the password from standard input and prints the
// user as JSON; the user can log in at once with that password and a code
// from the printed TOTP URI.
func TestUserAddPrintsJSONAndTheUserCanLogIn(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			base := []string{"--data", b.DataDir}
			if b.DSN != "" {
				base = append(base, "--db", b.DSN)
			}
			if code, _, errOut := run(t, "", append([]string{"init"}, base...)...); code != 0 {
				t.Fatalf("init: %s", errOut)
			}
			code, out, errOut := run(t, "a long enough passphrase\n", append(append([]string{"user", "add"}, base...), "--name", "kim", "--role", "analyst", "--role", "committee")...)
			if code != 0 {
				t.Fatalf("user add exited %d: %s", code, errOut)
			}
			var got struct {
				Name    string   `json:"name"`
				Roles   []string `json:"roles"`
				TOTPURI string   `json:"totp_uri"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("output is not JSON: %q", out)
			}
			if got.Name != "kim" || len(got.Roles) != 2 || !strings.HasPrefix(got.TOTPURI, "otpauth://totp/") {
				t.Fatalf("got %+v", got)
			}
			key, _ := otp.NewKeyFromURL(got.TOTPURI)
			if key.Algorithm() != otp.AlgorithmSHA1 || key.Digits() != otp.DigitsSix || key.Period() != 30 {
				t.Fatalf("TOTP must use RFC 6238 defaults, got %v %v %v", key.Algorithm(), key.Digits(), key.Period())
			}
			st, err := store.Open(context.Background(), b.DataDir, b.DSN)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			acct := &account.Service{Store: st, Hasher: auth.NewHasher(auth.DefaultParams, 2), Throttle: auth.NewThrottle(auth.ThrottleConfig{})}
			code6, _ := totp.GenerateCode(key.Secret(), time.Now())
			if _, _, err := acct.Login(context.Background(), account.Credentials{Name: "kim", Password: "a long enough passphrase", Code: code6}); err != nil {
				t.Fatalf("the new user cannot log in: %v", err)
			}
		})
	}
}

func TestUserAddRefusesBadInputWithHints(t *testing.T) {
	dir := t.TempDir()
	run(t, "", "init", "--data", dir)
	tests := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"no password", "", []string{"--name", "kim", "--role", "analyst"}, "hint: pipe it in"},
		{"short password", "short\n", []string{"--name", "kim", "--role", "analyst"}, "12"},
		{"unknown role", "a long enough passphrase\n", []string{"--name", "kim", "--role", "boss"}, "unknown role"},
		{"bad name", "a long enough passphrase\n", []string{"--name", "Kim Jong", "--role", "analyst"}, "lower-case"},
		{"offer for an admin", "a long enough passphrase\n", []string{"--name", "root", "--role", "admin", "--offer", "x"}, "for analysts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, tt.stdin, append([]string{"user", "add", "--data", dir}, tt.args...)...)
			if code == 0 || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want an error containing %q", code, errOut, tt.want)
			}
		})
	}
	run(t, "a long enough passphrase\n", "user", "add", "--data", dir, "--name", "kim", "--role", "analyst")
	if code, _, errOut := run(t, "another long passphrase\n", "user", "add", "--data", dir, "--name", "kim", "--role", "analyst"); code == 0 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("a duplicate name must be refused: %d %q", code, errOut)
	}
}

// A report that came in before an analyst joined reaches them through
// tipline grant with the offline recovery identity.
func TestGrantWithTheRecoveryIdentity(t *testing.T) {
	dir := t.TempDir()
	run(t, "", "init", "--data", dir)
	submitOne(t, dir)
	run(t, "a long enough passphrase\n", "user", "add", "--data", dir, "--name", "lee", "--role", "analyst")

	code, out, errOut := run(t, "", "grant", "--data", dir, "--recovery-identity", filepath.Join(dir, install.RecoveryIdentityFile), "--to", "lee")
	if code != 0 || !strings.Contains(out, "granted 1 report to lee") {
		t.Fatalf("grant: %d %q %q", code, out, errOut)
	}
	code, _, errOut = run(t, "", "grant", "--data", dir, "--recovery-identity", filepath.Join(dir, "nope.txt"), "--to", "lee")
	if code == 0 || !strings.Contains(errOut, "recovery identity") {
		t.Fatalf("a missing identity file must be a clear error: %q", errOut)
	}

	// A disabled user is granted nothing.
	run(t, "a long enough passphrase\n", "user", "add", "--data", dir, "--name", "kim", "--role", "analyst")
	st, err := store.Open(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	kim, _, _ := st.UserByName(context.Background(), "kim")
	if err := st.SetUserDisabled(context.Background(), kim.ID, true); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, out, errOut = run(t, "", "grant", "--data", dir, "--recovery-identity", filepath.Join(dir, install.RecoveryIdentityFile), "--to", "kim")
	if code == 0 || strings.Contains(out, "granted") || !strings.Contains(errOut, "kim is disabled") || !strings.Contains(errOut, "hint:") {
		t.Fatalf("grant to a disabled user: %d %q %q", code, out, errOut)
	}
}

// submitOne sends one report through the real source site.
func submitOne(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	keys, _ := install.Load(dir)
	st, err := store.Open(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := intake.New(intake.Config{Store: st, Keys: keys, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go srv.Run(runCtx)
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("category", "oil")
	mw.WriteField("message", "before lee joined")
	mw.Close()
	resp, err := http.Post(hs.URL+"/submit", mw.FormDataContentType(), &buf)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("submit: %v %v", err, resp)
	}
	resp.Body.Close()
}

// The printed URI can be pasted as it is (no "\u0026" for "&"), and --qr
// writes the same secret as a QR code an app can scan, readable by the
// operator alone.
func TestUserAddURIIsPasteableAndQRMatches(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if code, _, errOut := run(t, "", "init", "--data", data); code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	qr := filepath.Join(t.TempDir(), "kim.png")
	code, out, errOut := run(t, "a long enough passphrase\n", "user", "add", "--data", data, "--name", "kim", "--role", "analyst", "--qr", qr)
	if code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	if strings.Contains(out, `\u0026`) || !strings.Contains(out, "&") {
		t.Fatalf("the URI is escaped: %s", out)
	}
	var got struct {
		TOTPURI string `json:"totp_uri"`
	}
	json.Unmarshal([]byte(out), &got)
	png, err := os.ReadFile(qr)
	if err != nil {
		t.Fatal(err)
	}
	if decoded := qrtest.Decode(t, png); decoded != got.TOTPURI {
		t.Fatalf("the QR code holds %q, the JSON %q", decoded, got.TOTPURI)
	}
	if info, _ := os.Stat(qr); info.Mode().Perm() != 0o600 {
		t.Fatalf("QR code file mode %v, want 0600", info.Mode().Perm())
	}
	if !strings.Contains(errOut, qr+" holds kim's second factor: once it is scanned, delete it") {
		t.Fatalf("user add does not say to delete the QR code once scanned: %q", errOut)
	}
}

// user list shows each user's roles, state and last login to the hour.
func TestUserListShowsStateAndLastLogin(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if code, _, errOut := run(t, "", "init", "--data", data); code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	_, out, _ := run(t, "a long enough passphrase\n", "user", "add", "--data", data, "--name", "kim", "--role", "analyst")
	run(t, "another long passphrase\n", "user", "add", "--data", data, "--name", "lee", "--role", "auditor")
	var created struct {
		TOTPURI string `json:"totp_uri"`
	}
	json.Unmarshal([]byte(out), &created)

	st, err := store.Open(context.Background(), data, "")
	if err != nil {
		t.Fatal(err)
	}
	acct := &account.Service{Store: st, Hasher: auth.NewHasher(auth.DefaultParams, 2), Throttle: auth.NewThrottle(auth.ThrottleConfig{})}
	key, _ := otp.NewKeyFromURL(created.TOTPURI)
	code6, _ := totp.GenerateCode(key.Secret(), time.Now())
	u, k, err := acct.Login(context.Background(), account.Credentials{Name: "kim", Password: "a long enough passphrase", Code: code6})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acct.StartSession(context.Background(), u, k); err != nil {
		t.Fatal(err)
	}
	lee, _, _ := st.UserByName(context.Background(), "lee")
	st.SetUserDisabled(context.Background(), lee.ID, true)
	st.Close()

	code, out, errOut := run(t, "", "user", "list", "--data", data, "--json")
	if code != 0 {
		t.Fatalf("user list: %s", errOut)
	}
	hour := time.Now().UTC().Truncate(time.Hour).Format("2006-01-02T15:04Z")
	want := `{"name":"kim","roles":["analyst"],"state":"enrolled","last_login":"` + hour + `"}` + "\n" +
		`{"name":"lee","roles":["auditor"],"state":"disabled","last_login":""}` + "\n"
	if out != want && !strings.Contains(out, `"last_login":"`+time.Now().UTC().Add(-time.Hour).Truncate(time.Hour).Format("2006-01-02T15:04Z")) {
		t.Fatalf("user list --json:\n%s\nwant:\n%s", out, want)
	}
	_, table, _ := run(t, "", "user", "list", "--data", data)
	if !strings.Contains(table, "kim") || !strings.Contains(table, "lee") || !strings.Contains(table, "never") || !strings.Contains(table, "disabled") {
		t.Fatalf("user list:\n%s", table)
	}
}

// keygen makes a post-quantum identity with no network; init takes its
// public key without a warning, and warns about a classic one.
func TestKeygenMakesAPostQuantumRecoveryKey(t *testing.T) {
	dir := t.TempDir()
	id := filepath.Join(dir, "recovery.txt")
	code, out, errOut := run(t, "", "keygen", "-o", id)
	if code != 0 {
		t.Fatalf("keygen: %s", errOut)
	}
	recipient := strings.TrimSpace(out)
	if !strings.HasPrefix(recipient, "age1pq1") {
		t.Fatalf("keygen printed %q, want an age1pq1 recipient", recipient)
	}
	body, err := os.ReadFile(id)
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(id); info.Mode().Perm() != 0o600 || !strings.Contains(string(body), "AGE-SECRET-KEY-PQ-1") || !strings.Contains(string(body), recipient) {
		t.Fatalf("identity file (%v):\n%s", info.Mode().Perm(), body)
	}
	if code, _, _ := run(t, "", "keygen", "-o", id); code == 0 {
		t.Fatal("keygen overwrote an identity file")
	}
	code, out, errOut = run(t, "", "init", "--data", filepath.Join(dir, "pq"), "--recovery-recipient", recipient)
	if code != 0 || strings.Contains(out, "WARNING") {
		t.Fatalf("init with a post-quantum recipient: %d %s %s", code, out, errOut)
	}
	classic := "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
	code, out, _ = run(t, "", "init", "--data", filepath.Join(dir, "classic"), "--recovery-recipient", classic)
	if code != 0 || !strings.Contains(out, "WARNING: the recovery recipient is a classic") {
		t.Fatalf("init with a classic recipient: %d\n%s", code, out)
	}
}

// user add --email sets where the user's notices go; a bad address is
// refused before anything is stored.
func TestUserAddEmail(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if code, _, errOut := run(t, "", "init", "--data", data); code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	if code, _, errOut := run(t, "a long enough passphrase\n", "user", "add", "--data", data, "--name", "kim", "--role", "analyst", "--email", "not an address"); code == 0 || !strings.Contains(errOut, "not an email address") {
		t.Fatalf("a bad address: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, "a long enough passphrase\n", "user", "add", "--data", data, "--name", "kim", "--role", "analyst", "--email", "kim@example.org"); code != 0 {
		t.Fatalf("user add --email: %s", errOut)
	}
	st, err := store.Open(context.Background(), data, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if u, _, _ := st.UserByName(context.Background(), "kim"); u.Email != "kim@example.org" {
		t.Fatalf("stored %q", u.Email)
	}
}
