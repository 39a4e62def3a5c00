package screen_test

import (
	"context"
	"runtime"
	"slices"
	"testing"
	"time"

	"tipline/internal/screen"
	"tipline/internal/screen/listfmt"
	"tipline/internal/store"
)

// The benchmarks run on the real snapshots: UN 2026-02-27, OFAC 2024-05-03
// and the UN 1718 vessels list. Record their figures in docs/benchmarks.md:
//
//	go test -run '^$' -bench . -benchtime 3x -cpu 1 ./internal/screen/

// BenchmarkImport parses the three snapshots and stores them as new list
// versions in SQLite, as "tipline lists import" does.
func BenchmarkImport(b *testing.B) {
	snapshots(b)
	for b.Loop() {
		b.StopTimer()
		s, err := store.Open(context.Background(), b.TempDir(), "")
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, p := range snapshotPaths {
			l, err := listfmt.ParseFile(p)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.ImportList(context.Background(), l, "", time.Now(), false); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/import")
}

// BenchmarkIndexBuild builds the index and reports the heap it holds, lists
// included, after a garbage collection.
func BenchmarkIndexBuild(b *testing.B) {
	lists, _ := snapshots(b)
	for b.Loop() {
		screen.NewIndex(lists...)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/build")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fresh := make([]*screen.List, 0, len(snapshotPaths))
	for _, p := range snapshotPaths {
		l, err := listfmt.ParseFile(p)
		if err != nil {
			b.Fatal(err)
		}
		fresh = append(fresh, l)
	}
	ix := screen.NewIndex(fresh...)
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "MB-heap")
	b.ReportMetric(float64(ix.Names()), "names")
	runtime.KeepAlive(ix)
}

// queryMix is a realistic mix: listed names as written and misspelt, names
// in Hangul and Cyrillic, names on no list, identifiers with and without
// typos, wallet addresses, and report sentences.
var queryMix = []string{
	"Chon Myong 1", "CHONMYONG SHIPPING", "Korea Kwangson Banking Corp", "Ocean Maritime Managment",
	"Kim Jong Un", "Choe Ryong Hae", "Ri Je Son", "Pak Chol Su", "최룡해", "김정은", "Умаров Доку Хаматович",
	"丹東鴻祥實業發展有限公司", "Lazarus Group", "Ingeborg Abrahamsen", "Kathryn Barr", "Maria Alice Nathan Leão",
	"Reni Mehdi Klemm", "Jennifer L. McClellan", "IMO 8712362", "IMO 8712363", "MMSI 445123000",
	"0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "bitcoin:134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak",
	"the tanker Chon Myong 1 met a ship off Nampo", "M/V Ji Song 6 transferred oil to an unnamed tanker near Shanghai",
	"Payment went through Dandong Hongxiang Industrial Development Co to a front company in Hong Kong",
	"Abdulhai Salek", "Tharwat Salah Shihata", "Mohammed Ali", "Trading Company Limited",
}

// BenchmarkScreen reports queries per second and latency percentiles over
// the query mix; run it with -cpu 1 for the per-core figure.
func BenchmarkScreen(b *testing.B) {
	_, ix := snapshots(b)
	var lat []time.Duration
	for b.Loop() {
		for _, q := range queryMix {
			t0 := time.Now()
			ix.Screen(q, screen.Options{})
			lat = append(lat, time.Since(t0))
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/b.Elapsed().Seconds(), "queries/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds()), "max-µs")
}
