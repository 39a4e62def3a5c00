package loopback

import "testing"

func TestURL(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.0.0.1:8080/", true},
		{"http://[::1]:8080", true},
		{"http://127.8.9.10:1", true},
		{"http://localhost:8080", false},
		{"http://10.0.0.1:8080", false},
		{"http://0.0.0.0:8080", false},
		{"https://127.0.0.1:8080", false},
		{"127.0.0.1:8080", false},
		{"", false},
	} {
		u, err := URL(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("URL(%q): err = %v, want ok = %v", tc.in, err, tc.ok)
			continue
		}
		if err == nil && u.Path != "" {
			t.Errorf("URL(%q).Path = %q, want none", tc.in, u.Path)
		}
	}
}
