package backup_test

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tipline/internal/backup"
	"tipline/internal/install"
	"tipline/internal/seal"
	"tipline/internal/store"
)

type entry struct {
	name string
	body []byte
}

// sample backs up a new SQLite installation into memory and returns the
// backup, its parts in the clear, and the recovery identity.
func sample(t *testing.T) ([]byte, []entry, *seal.Key) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := install.Init(ctx, install.Options{DataDir: dir}); err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(filepath.Join(dir, install.RecoveryIdentityFile))
	lines := strings.Split(strings.TrimSpace(string(text)), "\n")
	key, err := seal.ParseKey(lines[len(lines)-1])
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var buf bytes.Buffer
	if _, err := backup.Write(ctx, &buf, backup.Source{Store: st, DataDir: dir}, key.Recipient()); err != nil {
		t.Fatal(err)
	}
	plain, err := seal.Open(bytes.NewReader(buf.Bytes()), key)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(plain)
	var entries []entry
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		entries = append(entries, entry{hdr.Name, body})
	}
	return buf.Bytes(), entries, key
}

// reseal writes entries as a backup sealed to key, as someone holding only
// the public recovery recipient could.
func reseal(t *testing.T, entries []entry, key *seal.Key, trailer []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := seal.SealTo(&buf, key.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(w)
	for _, e := range entries {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: e.name, Size: int64(len(e.body)), Mode: 0o600})
		tw.Write(e.body)
	}
	tw.Close()
	w.Write(trailer)
	w.Close()
	return buf.Bytes()
}

// The list at a backup's end must match its parts: a part changed, dropped,
// moved or added, rows the manifest does not count, bytes after the archive
// — each refused, though age opens the file, with nothing left behind.
func TestRestoreRefusesPartsThatDoNotMatch(t *testing.T) {
	good, entries, key := sample(t)
	find := func(prefix string) int {
		for i, e := range entries {
			if strings.HasPrefix(e.name, prefix) {
				return i
			}
		}
		t.Fatalf("no part %s", prefix)
		return -1
	}
	mutate := func(fn func([]entry) []entry) []entry {
		c := make([]entry, len(entries))
		for i, e := range entries {
			c[i] = entry{e.name, bytes.Clone(e.body)}
		}
		return fn(c)
	}
	statuses := find("tables/statuses/")
	cases := map[string][]byte{
		"a row changed": reseal(t, mutate(func(es []entry) []entry {
			es[statuses].body = bytes.Replace(es[statuses].body, []byte(`"received"`), []byte(`"closed"`), 1)
			return es
		}), key, nil),
		"a part dropped": reseal(t, mutate(func(es []entry) []entry {
			return append(es[:statuses], es[statuses+1:]...)
		}), key, nil),
		"parts swapped": reseal(t, mutate(func(es []entry) []entry {
			es[1], es[2] = es[2], es[1]
			return es
		}), key, nil),
		"a part added": reseal(t, mutate(func(es []entry) []entry {
			return append(es[:2], append([]entry{{"data/" + install.RecoveryIdentityFile, []byte(key.String())}}, es[2:]...)...)
		}), key, nil),
		"bytes after the archive": reseal(t, entries, key, []byte("more")),
	}
	for name, bad := range cases {
		data := filepath.Join(t.TempDir(), "restored")
		_, err := backup.Restore(context.Background(), bytes.NewReader(bad), key, backup.Target{DataDir: data})
		if !errors.Is(err, backup.ErrDamaged) {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := os.Stat(data); !os.IsNotExist(err) {
			t.Errorf("%s: the refused restore left %s", name, data)
		}
	}

	// The same parts, resealed unchanged, restore: the checks above are
	// about the changes, not the resealing.
	data := filepath.Join(t.TempDir(), "restored")
	if _, err := backup.Restore(context.Background(), bytes.NewReader(reseal(t, entries, key, nil)), key, backup.Target{DataDir: data}); err != nil {
		t.Fatalf("the parts resealed unchanged: %v", err)
	}
	var m backup.Manifest
	if err := json.Unmarshal(entries[0].body, &m); err != nil || m.Format != backup.Format || m.Version != backup.Version {
		t.Fatalf("manifest: %+v, %v", m, err)
	}
	if len(good) == 0 {
		t.Fatal("no backup")
	}
}
