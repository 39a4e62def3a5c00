// Package loopback keeps the load tools on this machine: they accept only a
// server URL on a loopback IP address, so a benchmark can never be pointed at
// someone else's server by mistake.
package loopback

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// URL parses s, an http URL such as http://127.0.0.1:8080, and refuses any
// host that is not a loopback IP address (a name, even "localhost", could
// resolve elsewhere). The result has no trailing slash.
func URL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("-url must be like http://127.0.0.1:8080, not %q", s)
	}
	ip := net.ParseIP(u.Hostname())
	if ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("-url must name a loopback IP address such as 127.0.0.1, not %q", u.Hostname())
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}
