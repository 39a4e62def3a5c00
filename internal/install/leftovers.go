package install

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"tipline/internal/store"
)

// identityMarker begins every age private key, classic or post-quantum,
// in an identity file.
const identityMarker = "AGE-SECRET-KEY-"

// largestIdentityFile bounds what LeftBehind reads of a file: an identity
// file is a few KiB, with or without comments.
const largestIdentityFile = 64 << 10

// LeftBehind lists the files in the data folder that hold a secret the
// server must not keep: the recovery identity that Init writes when it makes
// one, under its own name or any other, and any other age private key put
// there (a copy made for "tipline grant", say). A recovery identity opens
// every report, and the data folder is what a seizure takes and what
// backups copy. The database, the key file and the blob folder are not
// read: none holds such a key in the clear.
func LeftBehind(dataDir string) ([]string, error) {
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		return nil, fmt.Errorf("failed to look for secrets left in the data folder: %w", err)
	}
	var found []string
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(dataDir, name)
		switch {
		case name == RecoveryIdentityFile:
			found = append(found, path)
		case !e.Type().IsRegular(), name == KeyFile, strings.HasPrefix(name, store.DBFile):
		case holdsIdentity(path):
			found = append(found, path)
		}
	}
	return found, nil
}

// holdsIdentity reports whether a small file holds an age private key.
func holdsIdentity(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head, err := io.ReadAll(io.LimitReader(f, largestIdentityFile))
	return err == nil && bytes.Contains(head, []byte(identityMarker))
}
