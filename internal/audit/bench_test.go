package audit_test

import (
	"context"
	"fmt"
	"testing"

	"tipline/internal/audit"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

func openBench(b *testing.B, be storetest.Backend) *store.Store {
	b.Helper()
	s, err := store.Open(context.Background(), be.DataDir, be.DSN)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

var benchEvent = audit.Event{Actor: "user:0123456789abcdef0123456789abcdef", Action: "tip.status",
	TipID: "fedcba9876543210fedcba9876543210", Detail: "investigating -> corroborated"}

// BenchmarkRecord measures appends, each in its own committed (and, on
// SQLite, fsynced) transaction: one at a time, and from 8 goroutines at once.
func BenchmarkRecord(b *testing.B) {
	for _, be := range storetest.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			l := newLog(b, openBench(b, be))
			ctx := context.Background()
			for b.Loop() {
				if err := l.Record(ctx, benchEvent); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
		})
		b.Run(be.Name+"-parallel", func(b *testing.B) {
			l := newLog(b, openBench(b, be))
			ctx := context.Background()
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := l.Record(ctx, benchEvent); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
		})
	}
}

// BenchmarkVerify measures a full walk of a 100,000-entry chain.
func BenchmarkVerify(b *testing.B) {
	const entries = 100_000
	for _, be := range storetest.Backends(b) {
		b.Run(fmt.Sprintf("%s-%d", be.Name, entries), func(b *testing.B) {
			s := openBench(b, be)
			l := newLog(b, s)
			ctx := context.Background()
			for done := 0; done < entries; done += 5000 {
				seals := make([]store.AuditSealer, 5000)
				for i := range seals {
					seals[i] = l.Sealer(benchEvent)
				}
				_, err := s.AppendAudit(ctx, seals...)
				if err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				rep, err := l.Verify(ctx, "")
				if err != nil || rep.Entries != entries {
					b.Fatalf("%+v, %v", rep, err)
				}
			}
			b.ReportMetric(float64(entries)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}
