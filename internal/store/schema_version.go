package store

import (
	"io/fs"
	"path"
	"sort"
	"strings"
)

// SchemaVersion names the database schema this binary expects: its latest
// embedded migration (such as "015_invitations"), which Open applies to an
// older database. "tipline version" prints it so that an operator can tell,
// before an upgrade, whether the new binary will migrate the database.
func SchemaVersion() string {
	versions, err := migrationVersions()
	if err != nil || len(versions) == 0 {
		// The migrations are embedded at build time; without them the
		// binary could not have been built.
		panic("store: no embedded migrations")
	}
	return versions[len(versions)-1]
}

// migrationVersions lists the embedded migrations in the order Open applies
// them, each named by its file name without ".sql".
func migrationVersions() ([]string, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	versions := make([]string, len(names))
	for i, name := range names {
		versions[i] = strings.TrimSuffix(path.Base(name), ".sql")
	}
	return versions, nil
}
