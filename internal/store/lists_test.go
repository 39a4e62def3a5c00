package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"tipline/internal/screen"
	"tipline/internal/screen/listfmt"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/testenv"
)

func parseSnapshot(t *testing.T, path string) *screen.List {
	t.Helper()
	path = "../../../shared/data/lists/" + path
	testenv.NeedFile(t, path)
	l, err := listfmt.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestListVersions(t *testing.T) {
	old := parseSnapshot(t, "un/consolidated-2018-10-29.xml")
	cur := parseSnapshot(t, "un/consolidated-2026-02-27.xml")
	vessels := parseSnapshot(t, "un-1718-vessels/designated-vessels-2020-06-04.html")
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		if _, _, err := s.CurrentLists(ctx); !errors.Is(err, store.ErrNoLists) {
			t.Fatalf("CurrentLists on an empty store: %v, want ErrNoLists", err)
		}
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		v1, err := s.ImportList(ctx, old, "un-xml", now, false)
		if err != nil {
			t.Fatal(err)
		}
		v2, err := s.ImportList(ctx, cur, "un-xml", now.Add(time.Hour), false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportList(ctx, vessels, "un-vessels-html", now.Add(2*time.Hour), false); err != nil {
			t.Fatal(err)
		}
		lists, versions, err := s.CurrentLists(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(lists) != 2 || versions[0].ID != v2.ID || versions[1].Source != screen.SourceUNVessels {
			t.Fatalf("current versions = %+v, want UN %s and the vessels list", versions, v2.ID)
		}
		if !reflect.DeepEqual(lists[0].Entries, cur.Entries) {
			t.Error("the stored entries differ from the imported ones")
		}
		if !lists[0].Published.Equal(cur.Published.Truncate(time.Second)) || lists[0].SHA256 != cur.SHA256 {
			t.Errorf("published %v sha %s, want %v %s", lists[0].Published, lists[0].SHA256, cur.Published, cur.SHA256)
		}
		all, err := s.ListVersions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 || all[0].ID != v2.ID || !all[0].Current || all[1].ID != v1.ID || all[1].Current {
			t.Fatalf("versions = %+v", all)
		}
		if got, want := all[0].Counts, cur.Counts(); !reflect.DeepEqual(got, want) {
			t.Errorf("counts = %v, want %v", got, want)
		}
		d, err := s.DiffListVersions(ctx, screen.SourceUN, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if d.Old.ID != v1.ID || d.New.ID != v2.ID || len(d.Added) == 0 || len(d.Removed) == 0 {
			t.Fatalf("diff %s..%s: %d added, %d removed", d.Old.ID, d.New.ID, len(d.Added), len(d.Removed))
		}
		if _, err := s.DiffListVersions(ctx, screen.SourceUNVessels, "", ""); err == nil {
			t.Error("a diff of a source with one version succeeded")
		}
	})
}

func TestImportRefusesInvalidList(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		bad := &screen.List{Source: screen.SourceUN, Entries: []screen.Entry{{Source: screen.SourceUN, ID: "X"}}}
		if _, err := s.ImportList(context.Background(), bad, "un-xml", time.Now(), false); err == nil {
			t.Fatal("an invalid list was stored")
		}
		if vs, _ := s.ListVersions(context.Background()); len(vs) != 0 {
			t.Fatalf("versions after a refused import: %v", vs)
		}
	})
}
