package desk_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/pquerna/otp/totp"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// softKey is a software security key: an ECDSA P-256 key pair, a credential
// id and a signature counter, answering the desk's ceremonies as a browser
// with a real key would, with attestation "none".
type softKey struct {
	t      *testing.T
	priv   *ecdsa.PrivateKey
	id     []byte
	count  uint32
	origin string
}

func newSoftKey(t *testing.T, origin string) *softKey {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 32)
	rand.Read(id)
	return &softKey{t: t, priv: priv, id: id, origin: origin}
}

var b64 = base64.RawURLEncoding

const (
	flagUserPresent = 0x01
	flagAttested    = 0x40
)

// options is what the desk's begin endpoints send, as far as a key needs.
type options struct {
	PublicKey struct {
		Challenge string `json:"challenge"`
		RPID      string `json:"rpId"` // assertions
		RP        struct {
			ID string `json:"id"`
		} `json:"rp"` // registrations
		AllowCredentials []struct {
			ID string `json:"id"`
		} `json:"allowCredentials"`
	} `json:"publicKey"`
}

func (k *softKey) parse(page string) options {
	k.t.Helper()
	var o options
	if err := json.Unmarshal([]byte(page), &o); err != nil || o.PublicKey.Challenge == "" {
		k.t.Fatalf("not ceremony options: %v\n%s", err, page)
	}
	return o
}

func (k *softKey) clientData(kind, challenge string) []byte {
	cd, _ := json.Marshal(map[string]any{"type": kind, "challenge": challenge, "origin": k.origin, "crossOrigin": false})
	return cd
}

func (k *softKey) authData(rpID string, flags byte, extra []byte) []byte {
	rpHash := sha256.Sum256([]byte(rpID))
	out := append(rpHash[:], flags)
	out = binary.BigEndian.AppendUint32(out, k.count)
	return append(out, extra...)
}

// create answers navigator.credentials.create.
func (k *softKey) create(page string) json.RawMessage {
	k.t.Helper()
	o := k.parse(page)
	enc, _ := cbor.CTAP2EncOptions().EncMode()
	point, err := k.priv.PublicKey.ECDH()
	if err != nil {
		k.t.Fatal(err)
	}
	xy := point.Bytes()[1:] // uncompressed: 0x04 | X | Y
	cose, err := enc.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: xy[:32], -3: xy[32:]})
	if err != nil {
		k.t.Fatal(err)
	}
	attested := make([]byte, 16) // AAGUID: zero, as for attestation "none"
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(k.id)))
	attested = append(append(attested, k.id...), cose...)
	object, err := enc.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": k.authData(o.PublicKey.RP.ID, flagUserPresent|flagAttested, attested)})
	if err != nil {
		k.t.Fatal(err)
	}
	out, _ := json.Marshal(map[string]any{
		"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(k.clientData("webauthn.create", o.PublicKey.Challenge)),
			"attestationObject": b64.EncodeToString(object),
			"transports":        []string{"usb"},
		},
	})
	return out
}

// get answers navigator.credentials.get, advancing the counter by step
// (which may be zero or negative, to test the desk's refusal).
func (k *softKey) get(page string, step int) json.RawMessage {
	k.t.Helper()
	o := k.parse(page)
	k.count = uint32(int(k.count) + step)
	cd := k.clientData("webauthn.get", o.PublicKey.Challenge)
	ad := k.authData(o.PublicKey.RPID, flagUserPresent, nil)
	cdHash := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), cdHash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.priv, digest[:])
	if err != nil {
		k.t.Fatal(err)
	}
	out, _ := json.Marshal(map[string]any{
		"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(cd),
			"authenticatorData": b64.EncodeToString(ad),
			"signature":         b64.EncodeToString(sig),
		},
	})
	return out
}

// localDesk is the desk's address as "localhost", its configured origin.
func (w *world) localDesk() string { return strings.Replace(w.deskURL, "127.0.0.1", "localhost", 1) }

func (b *browser) postJSON(path string, v any) (*http.Response, string) {
	body, _ := json.Marshal(v)
	return b.do("POST", path, strings.NewReader(string(body)), "application/json")
}

// loginAt logs u in with password and TOTP code at base.
func (w *world) loginAt(base string, u user) *browser {
	w.t.Helper()
	b := w.browser(base)
	code, _ := totp.GenerateCode(u.secret, w.now)
	if resp, page := b.post("/login", url.Values{"name": {u.name}, "password": {u.password}, "code": {code}}); resp.StatusCode != http.StatusSeeOther {
		w.t.Fatalf("login of %s: %d\n%s", u.name, resp.StatusCode, page)
	}
	w.now = w.now.Add(30 * time.Second)
	return b
}

// registerKey registers a new soft key for u from the account page.
func (w *world) registerKey(b *browser, name string) *softKey {
	w.t.Helper()
	key := newSoftKey(w.t, w.localDesk())
	resp, page := b.postJSON("/account/webauthn/register/begin", struct{}{})
	if resp.StatusCode != http.StatusOK {
		w.t.Fatalf("register/begin: %d %s", resp.StatusCode, page)
	}
	resp, page = b.postJSON("/account/webauthn/register/finish", map[string]any{"name": name, "credential": key.create(page)})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `"/account"`) {
		w.t.Fatalf("register/finish: %d %s", resp.StatusCode, page)
	}
	return key
}

// keyLogin runs the security-key login to the assertion's answer, and
// returns the browser and the finish response.
func (w *world) keyLogin(u user, key *softKey, step int) (*browser, *http.Response, string) {
	w.t.Helper()
	b := w.browser(w.localDesk())
	resp, page := b.post("/login/webauthn", url.Values{"name": {u.name}, "password": {u.password}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="webauthn-login-button"`) {
		w.t.Fatalf("password step: %d\n%s", resp.StatusCode, page)
	}
	resp, page = b.postJSON("/login/webauthn/begin", struct{}{})
	if resp.StatusCode != http.StatusOK {
		w.t.Fatalf("login/begin: %d %s", resp.StatusCode, page)
	}
	resp, page = b.do("POST", "/login/webauthn/finish", strings.NewReader(string(key.get(page, step))), "application/json")
	return b, resp, page
}

func auditActions(t *testing.T, w *world) map[string]string {
	entries, err := w.store.ListAudit(t.Context(), store.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		out[e.Action] += e.Detail + ";"
	}
	return out
}

func TestWebAuthnRegisterLoginRemove(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, _ *store.Store, b storetest.Backend) {
		w := newWorld(t, b)
		u := w.addUser("kim", tip.RoleAnalyst)
		home := w.loginAt(w.localDesk(), u)

		resp, page := home.get("/account")
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="no-security-keys"`) || !strings.Contains(page, `src="/static/webauthn.js"`) {
			t.Fatalf("account page: %d\n%s", resp.StatusCode, page)
		}
		key := w.registerKey(home, "Blue key")
		if _, page := home.get("/account"); !strings.Contains(page, "Blue key") {
			t.Fatalf("the new key is not listed:\n%s", page)
		}

		// Logins with the key, the counter moving forward each time.
		for i := range 2 {
			kb, resp, page := w.keyLogin(u, key, 1)
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, `"next":"/"`) {
				t.Fatalf("login %d: %d %s", i, resp.StatusCode, page)
			}
			cookie := strings.Join(resp.Header.Values("Set-Cookie"), "\n")
			for _, want := range []string{"tipline_desk=", "HttpOnly", "SameSite=Strict"} {
				if !strings.Contains(cookie, want) {
					t.Fatalf("session cookie %q lacks %s", cookie, want)
				}
			}
			if resp, _ := kb.get("/tips"); resp.StatusCode != http.StatusOK {
				t.Fatalf("after a key login, the queue answered %d", resp.StatusCode)
			}
		}
		keys, _ := w.store.WebAuthnCredentials(t.Context(), mustUser(t, w, u.name).ID)
		if len(keys) != 1 || keys[0].SignCount != 2 || keys[0].LastUsedAt.IsZero() || keys[0].Name != "Blue key" {
			t.Fatalf("stored key after two logins: %+v", keys)
		}

		// TOTP keeps working for a user with a key.
		w.login(u)

		resp, _ = home.post("/account/webauthn/"+keys[0].ID+"/remove", nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove: %d", resp.StatusCode)
		}
		if _, page := home.get("/account"); !strings.Contains(page, `id="no-security-keys"`) {
			t.Fatal("the key is still listed after removal")
		}
		kb := w.browser(w.localDesk())
		if resp, page := kb.post("/login/webauthn", url.Values{"name": {u.name}, "password": {u.password}}); resp.StatusCode != http.StatusUnauthorized || strings.Contains(page, "webauthn-login-button") {
			t.Fatalf("a removed key still opens the key login: %d", resp.StatusCode)
		}

		actions := auditActions(t, w)
		for _, want := range []string{"webauthn.register", "webauthn.remove"} {
			if !strings.Contains(actions[want], "key "+keys[0].ID) {
				t.Errorf("audit log lacks %s of the key: %v", want, actions)
			}
		}
		if !strings.Contains(actions["login.ok"], "method=webauthn key="+keys[0].ID) {
			t.Errorf("audit log lacks the key logins: %q", actions["login.ok"])
		}
		if rep, err := w.audit.Verify(t.Context(), ""); err != nil {
			t.Fatalf("audit log does not verify: %v (%+v)", err, rep)
		}
	})
}

func mustUser(t *testing.T, w *world, name string) tip.User {
	u, _, err := w.store.UserByName(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A counter that does not move forward is refused (a cloned key, or a
// replayed answer), and no session starts.
func TestWebAuthnSignCountRegressionRefused(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	u := w.addUser("lee", tip.RoleAnalyst)
	key := w.registerKey(w.loginAt(w.localDesk(), u), "key")
	if _, resp, page := w.keyLogin(u, key, 5); resp.StatusCode != http.StatusOK {
		t.Fatalf("first login: %d %s", resp.StatusCode, page)
	}
	for _, step := range []int{0, -1} {
		kb, resp, page := w.keyLogin(u, key, step)
		if resp.StatusCode != http.StatusUnauthorized || strings.Contains(strings.Join(resp.Header.Values("Set-Cookie"), ""), "tipline_desk=") {
			t.Fatalf("counter step %d: got %d %s, want 401 and no session", step, resp.StatusCode, page)
		}
		if resp, _ := kb.get("/tips"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("counter step %d: the queue answered %d", step, resp.StatusCode)
		}
	}
	keys, _ := w.store.WebAuthnCredentials(t.Context(), mustUser(t, w, u.name).ID)
	if keys[0].SignCount != 5 {
		t.Fatalf("stored counter moved to %d", keys[0].SignCount)
	}
	if !strings.Contains(auditActions(t, w)["login.fail"], "method=webauthn") {
		t.Error("refused key logins are not audited")
	}
}

// The same answer twice: the challenge is used up by the first.
func TestWebAuthnAnswerIsUsedOnce(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	u := w.addUser("park", tip.RoleAnalyst)
	key := w.registerKey(w.loginAt(w.localDesk(), u), "key")
	b := w.browser(w.localDesk())
	b.post("/login/webauthn", url.Values{"name": {u.name}, "password": {u.password}})
	_, opts := b.postJSON("/login/webauthn/begin", struct{}{})
	answer := key.get(opts, 1)
	// A wrong answer first (signed over another challenge) uses the
	// ceremony up; the right answer to it is then refused too.
	wrong := strings.Replace(opts, key.parse(opts).PublicKey.Challenge, b64.EncodeToString([]byte("another challenge, thirty-two by")), 1)
	if resp, _ := b.do("POST", "/login/webauthn/finish", strings.NewReader(string(key.get(wrong, 1))), "application/json"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("an answer to another challenge: %d", resp.StatusCode)
	}
	if resp, page := b.do("POST", "/login/webauthn/finish", strings.NewReader(string(answer)), "application/json"); resp.StatusCode == http.StatusOK {
		t.Fatalf("an answer to a used-up ceremony was accepted: %s", page)
	}
}

// A user without a security key cannot take the WebAuthn path, and the
// ceremony endpoints open nothing without the pending-login cookie. The
// password step answers a right password without a key exactly as a wrong
// one — status, page, audit, throttle — so it is no way to test passwords
// around the second factor.
func TestWebAuthnNeedsARegisteredKey(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	u := w.addUser("choi", tip.RoleAnalyst)
	b := w.browser(w.localDesk())
	answers := map[string]string{}
	for _, pw := range []string{u.password, "wrong password, wrong"} {
		resp, page := b.post("/login/webauthn", url.Values{"name": {u.name}, "password": {pw}})
		if resp.StatusCode != http.StatusUnauthorized || len(resp.Header.Values("Set-Cookie")) != 0 {
			t.Fatalf("password %q: %d %v\n%s", pw, resp.StatusCode, resp.Header.Values("Set-Cookie"), page)
		}
		answers[pw] = page
	}
	if answers[u.password] != answers["wrong password, wrong"] {
		t.Fatal("a right password without a key is answered differently from a wrong one")
	}
	if got := strings.Count(auditActions(t, w)["login.fail"], "method=webauthn"); got != 2 {
		t.Fatalf("%d webauthn login failures audited, want 2", got)
	}
	for _, path := range []string{"/login/webauthn/begin", "/login/webauthn/finish"} {
		if resp, _ := b.postJSON(path, struct{}{}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("%s without a pending login: %d", path, resp.StatusCode)
		}
	}
}

// A pending login (password right, key yet to answer) opens no desk page,
// even if its cookie is presented as a session.
func TestWebAuthnPendingLoginIsNoSession(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	u := w.addUser("han", tip.RoleAnalyst)
	w.registerKey(w.loginAt(w.localDesk(), u), "key")
	b := w.browser(w.localDesk())
	resp, _ := b.post("/login/webauthn", url.Values{"name": {u.name}, "password": {u.password}})
	var pending string
	for _, c := range resp.Cookies() {
		if c.Name == "tipline_webauthn" {
			pending = c.Value
		}
	}
	if pending == "" {
		t.Fatal("no pending-login cookie")
	}
	if resp, _ := b.get("/tips"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("a pending login opened the queue: %d", resp.StatusCode)
	}
	forged := w.browser(w.localDesk())
	req, _ := http.NewRequest("GET", w.localDesk()+"/tips", nil)
	req.AddCookie(&http.Cookie{Name: "tipline_desk", Value: pending})
	resp, err := forged.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("a pending login's cookie worked as a session: %d", resp.StatusCode)
	}
}

// Only the WebAuthn pages may run script, and only same-origin script.
func TestWebAuthnPagesAloneAllowScript(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	u := w.addUser("yoon", tip.RoleAnalyst)
	b := w.loginAt(w.localDesk(), u)
	anon := w.browser(w.localDesk())
	for _, c := range []struct {
		b      *browser
		path   string
		script bool
	}{
		{b, "/account", true},
		{anon, "/login/webauthn", true},
		{b, "/tips", false},
		{anon, "/login", false},
	} {
		resp, page := c.b.get(c.path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", c.path, resp.StatusCode)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if got := strings.Contains(csp, "script-src 'self'"); got != c.script {
			t.Errorf("%s: CSP %q, want script-src 'self' = %v", c.path, csp, c.script)
		}
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe") {
			t.Errorf("%s: CSP %q is not strict", c.path, csp)
		}
		if strings.Contains(page, "<script") != c.script {
			t.Errorf("%s: script tag present = %v", c.path, !c.script)
		}
		if strings.Contains(page, "<script>") || strings.Contains(page, "<script ") && !strings.Contains(page, `<script src="/static/webauthn.js" defer></script>`) {
			t.Errorf("%s: a script other than /static/webauthn.js", c.path)
		}
	}
	if _, page := anon.get("/login"); !strings.Contains(page, `href="/login/webauthn"`) {
		t.Error("the login page does not offer the security key")
	}
	if resp, page := anon.get("/static/webauthn.js"); resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "javascript") || !strings.Contains(page, "navigator.credentials.get") {
		t.Fatalf("webauthn.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// Without a configured origin, the desk keeps WebAuthn off whatever name it
// is reached by — "localhost" included: the Host header is the client's to
// choose, and a password check behind it would skip the second factor.
func TestWebAuthnOffWithoutConfiguration(t *testing.T) {
	w := newWorldWith(t, storetest.Backends(t)[0], worldOptions{noWebAuthn: true})
	u := w.addUser("jang", tip.RoleAnalyst)
	for _, base := range []string{w.deskURL, w.localDesk()} {
		b := w.loginAt(base, u)
		if resp, _ := b.postJSON("/account/webauthn/register/begin", struct{}{}); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("%s: register/begin on an unconfigured desk: %d", base, resp.StatusCode)
		}
		if _, page := b.get("/account"); strings.Contains(page, "<script") || !strings.Contains(page, "--desk-origin") {
			t.Fatalf("%s: account page on an unconfigured desk:\n%s", base, page)
		}
		for _, pw := range []string{u.password, "a wrong password, surely"} {
			resp, _ := w.browser(base).post("/login/webauthn", url.Values{"name": {u.name}, "password": {pw}})
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("%s: key login on an unconfigured desk: %d", base, resp.StatusCode)
			}
		}
	}
}

// An answer signed by another private key, for the registered key's id, is
// refused: the signature is checked against the stored public key.
func TestWebAuthnForgedSignatureRefused(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	u := w.addUser("moon", tip.RoleAnalyst)
	key := w.registerKey(w.loginAt(w.localDesk(), u), "key")
	forger := newSoftKey(t, w.localDesk())
	forger.id = key.id
	if _, resp, page := w.keyLogin(u, forger, 1); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a forged answer: %d %s", resp.StatusCode, page)
	}
}
