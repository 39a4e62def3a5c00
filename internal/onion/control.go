package onion

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"os"
	"strconv"
	"strings"
)

// controller is one connection to Tor's control port (control-spec.txt),
// speaking the few commands publishing needs.
type controller struct {
	conn net.Conn
	text *textproto.Conn
}

// dial connects to a control port: "host:port" or "unix:/path".
func dial(ctx context.Context, addr string) (*controller, error) {
	network, address := "tcp", addr
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		network, address = "unix", path
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, address)
	if err != nil {
		return nil, fmt.Errorf("failed to reach Tor's control port %s: %w", addr, err)
	}
	return &controller{conn: conn, text: textproto.NewConn(conn)}, nil
}

func (c *controller) Close() error { return c.text.Close() }

// command sends one command and reads its reply: the lines of a 250 reply,
// or an error with Tor's own words for any other.
func (c *controller) command(format string, args ...any) ([]string, error) {
	id, err := c.text.Cmd(format, args...)
	if err != nil {
		return nil, fmt.Errorf("failed to write to Tor's control port: %w", err)
	}
	c.text.StartResponse(id)
	defer c.text.EndResponse(id)
	var lines []string
	for {
		line, err := c.text.ReadLine()
		if err != nil {
			return nil, fmt.Errorf("failed to read Tor's answer: %w", err)
		}
		if len(line) < 4 {
			return nil, fmt.Errorf("the control port's answer %q is not a Tor control-port reply", line)
		}
		code, sep, rest := line[:3], line[3], line[4:]
		if code != "250" {
			return nil, &torError{code: code, text: rest}
		}
		lines = append(lines, rest)
		if sep == ' ' {
			return lines, nil
		}
		if sep == '+' { // a data reply, ended by a line with a lone dot
			for {
				data, err := c.text.ReadLine()
				if err != nil {
					return nil, fmt.Errorf("failed to read Tor's answer: %w", err)
				}
				if data == "." {
					break
				}
			}
		}
	}
}

// torError is a refusal from Tor, in its own words.
type torError struct{ code, text string }

func (e *torError) Error() string { return "Tor answered " + e.code + " " + e.text }

// authenticate logs in to the control port the way Tor offers: SAFECOOKIE,
// then COOKIE (reading the cookie file Tor names), then a password, then
// none.
func (c *controller) authenticate(password string) error {
	lines, err := c.command("PROTOCOLINFO 1")
	if err != nil {
		return err
	}
	var methods []string
	var cookieFile string
	for _, l := range lines {
		rest, ok := strings.CutPrefix(l, "AUTH METHODS=")
		if !ok {
			continue
		}
		m, file, _ := strings.Cut(rest, " COOKIEFILE=")
		methods = strings.Split(m, ",")
		if file != "" {
			if cookieFile, err = strconv.Unquote(file); err != nil {
				return fmt.Errorf("the cookie file Tor named is malformed (%s): %w", file, err)
			}
		}
	}
	has := func(m string) bool {
		for _, x := range methods {
			if x == m {
				return true
			}
		}
		return false
	}
	switch {
	case password != "" && has("HASHEDPASSWORD"):
		_, err = c.command("AUTHENTICATE %s", strconv.Quote(password))
	case has("SAFECOOKIE") && cookieFile != "":
		err = c.safeCookie(cookieFile)
	case has("COOKIE") && cookieFile != "":
		var cookie []byte
		if cookie, err = os.ReadFile(cookieFile); err == nil {
			_, err = c.command("AUTHENTICATE %s", hex.EncodeToString(cookie))
		}
	case has("NULL"):
		_, err = c.command("AUTHENTICATE")
	case has("HASHEDPASSWORD"):
		return errors.New("the Tor control port wants a password: give it with --tor-control-password-file")
	default:
		return fmt.Errorf("the Tor control port offers no authentication Tipline can use (%s)", strings.Join(methods, ","))
	}
	if err != nil {
		return fmt.Errorf("failed to authenticate to Tor's control port: %w", err)
	}
	return nil
}

// safeCookie proves knowledge of the cookie without sending it, and checks
// that Tor knows it too (control-spec, "AUTHCHALLENGE").
func (c *controller) safeCookie(cookieFile string) error {
	cookie, err := os.ReadFile(cookieFile)
	if err != nil {
		return fmt.Errorf("failed to read Tor's cookie file (is Tipline's user in Tor's group?): %w", err)
	}
	clientNonce := make([]byte, 32)
	rand.Read(clientNonce)
	lines, err := c.command("AUTHCHALLENGE SAFECOOKIE %s", hex.EncodeToString(clientNonce))
	if err != nil {
		return err
	}
	var serverHash, serverNonce []byte
	for _, field := range strings.Fields(strings.TrimPrefix(lines[0], "AUTHCHALLENGE ")) {
		k, v, _ := strings.Cut(field, "=")
		b, err := hex.DecodeString(v)
		if err != nil {
			return fmt.Errorf("the Tor control port's challenge is malformed: %q", lines[0])
		}
		switch k {
		case "SERVERHASH":
			serverHash = b
		case "SERVERNONCE":
			serverNonce = b
		}
	}
	message := append(append(append([]byte{}, cookie...), clientNonce...), serverNonce...)
	if !hmac.Equal(serverHash, safeCookieHash("Tor safe cookie authentication server-to-controller hash", message)) {
		return errors.New("the control port does not know Tor's cookie: it may not be Tor")
	}
	_, err = c.command("AUTHENTICATE %s", hex.EncodeToString(safeCookieHash("Tor safe cookie authentication controller-to-server hash", message)))
	return err
}

func safeCookieHash(key string, message []byte) []byte {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(message)
	return m.Sum(nil)
}

// addOnion asks Tor for the onion service of key, whose virtual port 80
// leads to target; with pow, Tor's proof-of-work defence against floods of
// introductions is on. The service lives as long as this connection.
func (c *controller) addOnion(key *Key, target string, pow bool) (string, error) {
	cmd := "ADD_ONION %s Flags=DiscardPK Port=80,%s"
	if pow {
		cmd += " PoWDefensesEnabled=1"
	}
	lines, err := c.command(cmd, key.torBlob(), target)
	if err != nil {
		return "", err
	}
	for _, l := range lines {
		if id, ok := strings.CutPrefix(l, "ServiceID="); ok {
			return id + ".onion", nil
		}
	}
	return "", errors.New("the Tor control port did not name the onion service it made")
}

// waitClosed returns when the connection ends (Tor stopped or restarted) or
// ctx is done. Tor sends nothing unasked, so any read that returns ends it.
func (c *controller) waitClosed(ctx context.Context) {
	done := make(chan struct{})
	go func() {
		bufio.NewReader(c.conn).ReadByte()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		c.conn.Close()
		<-done
	}
}
