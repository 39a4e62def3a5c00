package screen_test

import (
	"errors"
	"io/fs"
	"os"
	"sync"
	"testing"

	"tipline/internal/screen"
	"tipline/internal/screen/listfmt"
	"tipline/internal/testenv"
)

// The real snapshots the tests and benchmarks screen against (see
// ../shared/data/lists/README.md).
var snapshotPaths = []string{
	"../../../shared/data/lists/un/consolidated-2026-02-27.xml",
	"../../../shared/data/lists/ofac/2024-05-03/sdn.csv",
	"../../../shared/data/lists/un-1718-vessels/designated-vessels-2020-06-04.html",
}

var (
	snapOnce  sync.Once
	snapLists []*screen.List
	snapIndex *screen.Index
	snapErr   error
)

// snapshots parses the snapshots and builds one index, once per test binary.
func snapshots(t testing.TB) ([]*screen.List, *screen.Index) {
	t.Helper()
	snapOnce.Do(func() {
		for _, p := range snapshotPaths {
			if _, snapErr = os.Stat(p); snapErr != nil {
				return
			}
			l, err := listfmt.ParseFile(p)
			if err != nil {
				snapErr = err
				return
			}
			snapLists = append(snapLists, l)
		}
		snapIndex = screen.NewIndex(snapLists...)
	})
	if errors.Is(snapErr, fs.ErrNotExist) {
		testenv.SkipOrFail(t, "a list snapshot is missing: %v", snapErr)
	}
	if snapErr != nil {
		t.Fatal(snapErr)
	}
	return snapLists, snapIndex
}
