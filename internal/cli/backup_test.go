package cli_test

import (
	"archive/tar"
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tipline/internal/install"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

var headPattern = regexp.MustCompile(`audit log:\s+\d+ entries, head ([0-9a-f]{64})`)

// backupOf makes an installation on b with an audit chain and backs it up;
// it returns the backup file, the recovery identity's file and the head.
func backupOf(t *testing.T, b storetest.Backend) (string, string, string) {
	t.Helper()
	auditInstall(t, b, 5)
	file := filepath.Join(t.TempDir(), "tipline.age")
	args := []string{"backup", "--data", b.DataDir, "--to", file}
	if b.DSN != "" {
		args = append(args, "--db", b.DSN)
	}
	code, out, errs := auditRun(args...)
	m := headPattern.FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("backup: exit %d\n%s%s", code, out, errs)
	}
	return file, filepath.Join(b.DataDir, install.RecoveryIdentityFile), m[1]
}

func restoreArgs(file, identity, data, dsn string) []string {
	args := []string{"restore", "--from", file, "--identity", identity, "--data", data}
	if dsn != "" {
		args = append(args, "--db", dsn)
	}
	return args
}

// A backup is an age file, owner-only, that holds the key file and never
// the recovery identity; it restores into SQLite and into PostgreSQL, and
// the restored audit log reaches the head the backup printed.
func TestBackupRestoresIntoEitherDatabase(t *testing.T) {
	for _, from := range storetest.Backends(t) {
		t.Run(from.Name, func(t *testing.T) {
			file, identity, head := backupOf(t, from)
			info, err := os.Stat(file)
			if err != nil || info.Mode().Perm() != 0o600 {
				t.Fatalf("backup file: %v, %v", info, err)
			}
			raw, _ := os.ReadFile(file)
			if !bytes.HasPrefix(raw, []byte("age-encryption.org/v1\n")) {
				t.Fatal("the backup is not an age file")
			}
			names := tarNames(t, file, identity)
			if !contains(names, "data/tipline.key") || contains(names, "data/"+install.RecoveryIdentityFile) || names[0] != "manifest.json" || names[len(names)-1] != "end.json" {
				t.Fatalf("backup parts: %v", names)
			}
			for _, to := range storetest.Backends(t) {
				data := filepath.Join(t.TempDir(), "restored")
				code, out, errs := auditRun(restoreArgs(file, identity, data, to.DSN)...)
				if code != 0 || !strings.Contains(out, head) {
					t.Fatalf("restore into %s: exit %d\n%s%s", to.Name, code, out, errs)
				}
				verify := []string{"audit", "verify", "--data", data, "--head", head}
				if to.DSN != "" {
					verify = append(verify, "--db", to.DSN)
				}
				if code, out, errs := auditRun(verify...); code != 0 {
					t.Fatalf("audit verify after restoring into %s: exit %d\n%s%s", to.Name, code, out, errs)
				}
				keyBefore, _ := os.ReadFile(filepath.Join(from.DataDir, install.KeyFile))
				keyAfter, _ := os.ReadFile(filepath.Join(data, install.KeyFile))
				if !bytes.Equal(keyBefore, keyAfter) {
					t.Fatal("the key file came back different")
				}
				if _, err := os.Stat(filepath.Join(data, install.RecoveryIdentityFile)); err == nil {
					t.Fatal("a restore wrote the recovery identity")
				}
			}
		})
	}
}

func tarNames(t *testing.T, file, identityFile string) []string {
	t.Helper()
	b, _ := os.ReadFile(identityFile)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	key, err := seal.ParseKey(lines[len(lines)-1])
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(file)
	defer f.Close()
	plain, err := seal.Open(f, key)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(plain)
	var names []string
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return names
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, hdr.Name)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A changed byte anywhere, a cut, the wrong identity, a folder or a database
// in use: each is refused with a hint, and the target is left as it was —
// a folder the restore made is gone, an empty one stays empty, the
// database has no table.
func TestRestoreRefusesAndLeavesNothingBehind(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			file, identity, _ := backupOf(t, b)
			good, _ := os.ReadFile(file)
			other, _ := seal.NewKey()
			wrongIdentity := filepath.Join(t.TempDir(), "other.key")
			os.WriteFile(wrongIdentity, []byte(other.String()+"\n"), 0o600)
			flipped := func(at int) []byte {
				c := bytes.Clone(good)
				c[at] ^= 0x01
				return c
			}
			cases := []struct {
				name, identity, want string
				content              []byte
			}{
				{"byte in the header", identity, "", flipped(40)},
				{"byte in the middle", identity, "damaged", flipped(len(good) / 2)},
				{"last byte", identity, "damaged", flipped(len(good) - 1)},
				{"cut short", identity, "damaged", good[:len(good)-100]},
				{"wrong identity", wrongIdentity, "does not open", good},
			}
			for _, c := range cases {
				bad := filepath.Join(t.TempDir(), "bad.age")
				os.WriteFile(bad, c.content, 0o600)
				target := storetest.Backends(t)[len(storetest.Backends(t))-1]
				dsn := ""
				if b.DSN != "" {
					dsn = target.DSN
				}
				for _, existing := range []bool{false, true} {
					data := filepath.Join(t.TempDir(), "restored")
					if existing {
						os.Mkdir(data, 0o700)
					}
					code, out, errs := auditRun(restoreArgs(bad, c.identity, data, dsn)...)
					if code != 1 || !strings.Contains(errs, c.want) || !strings.Contains(errs, "hint:") {
						t.Fatalf("%s: exit %d\n%s%s", c.name, code, out, errs)
					}
					entries, err := os.ReadDir(data)
					if existing && (err != nil || len(entries) != 0) || !existing && !os.IsNotExist(err) {
						t.Fatalf("%s: the target holds %v (%v) after a refused restore", c.name, entries, err)
					}
					if dsn != "" {
						assertNoTables(t, dsn)
					}
				}
			}

			inUse := []string{b.DataDir}
			notEmpty := filepath.Join(t.TempDir(), "notes")
			os.Mkdir(notEmpty, 0o700)
			os.WriteFile(filepath.Join(notEmpty, "todo.txt"), []byte("x"), 0o600)
			inUse = append(inUse, notEmpty)
			for _, data := range inUse {
				code, _, errs := auditRun(restoreArgs(file, identity, data, "")...)
				if code != 1 || !strings.Contains(errs, "not empty") {
					t.Fatalf("restore into %s: exit %d\n%s", data, code, errs)
				}
			}
			if b.DSN != "" {
				data := filepath.Join(t.TempDir(), "restored")
				code, _, errs := auditRun(restoreArgs(file, identity, data, b.DSN)...)
				if code != 1 || !strings.Contains(errs, "database is not empty") {
					t.Fatalf("restore into a database in use: exit %d\n%s", code, errs)
				}
				if _, err := os.Stat(data); !os.IsNotExist(err) {
					t.Fatal("a refused restore left its folder")
				}
			}

			before, _ := os.ReadFile(file)
			args := []string{"backup", "--data", b.DataDir, "--to", file}
			if b.DSN != "" {
				args = append(args, "--db", b.DSN)
			}
			if code, _, errs := auditRun(args...); code != 1 || !strings.Contains(errs, "file exists") {
				t.Fatalf("backup over an existing file: exit %d\n%s", code, errs)
			}
			if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
				t.Fatal("a backup changed an existing file")
			}
		})
	}
}

func assertNoTables(t *testing.T, dsn string) {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&n)
	if err != nil || n != 0 {
		t.Fatalf("a refused restore left %d tables (%v)", n, err)
	}
}

// A backup that fails midway — here on a blob file missing while the
// database holds it — says why and leaves no partial file; one of a
// database another binary migrated is refused before anything is written.
func TestFailedBackupLeavesNoFile(t *testing.T) {
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "data")
	if _, err := install.Init(ctx, install.Options{DataDir: data}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, data, "")
	if err != nil {
		t.Fatal(err)
	}
	offer, err := st.DefaultOffer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.NewStagedBlob(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(bytes.Repeat([]byte("sealed"), 1000))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	id := tip.NewID()
	err = st.CommitTips(ctx, []*store.NewTip{{
		Tip:         tip.Tip{ID: id, OfferID: offer.ID, Category: "oil", Status: tip.StatusNew, ReceivedAt: time.Now()},
		WrappedKeys: map[string][]byte{"recovery": []byte("wrapped")}, Content: []byte("sealed"), StagedBlobs: []string{w.ID()},
	}})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(data, store.BlobDir, w.ID())); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "tipline.age")
	code, _, errs := auditRun("backup", "--data", data, "--to", file)
	if code != 1 || !strings.Contains(errs, "damaged") || !strings.Contains(errs, "hint: nothing was kept") {
		t.Fatalf("backup with a blob file missing: exit %d\n%s", code, errs)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("a failed backup left its file: %v", err)
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	auditExec(t, db, `INSERT INTO schema_migrations (version) VALUES ('999_from_a_newer_binary')`)
	code, _, errs = auditRun("backup", "--data", data, "--to", file)
	if code != 1 || !strings.Contains(errs, "999_from_a_newer_binary") {
		t.Fatalf("backup of a newer schema: exit %d\n%s", code, errs)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("a refused backup left a file: %v", err)
	}
}
