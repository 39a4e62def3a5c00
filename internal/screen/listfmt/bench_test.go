package listfmt

import (
	"bytes"
	"io"
	"os"
	"testing"

	"tipline/internal/screen"
)

// BenchmarkParseSnapshots measures importing the full snapshots the
// screening benchmarks use (UN 2026 + OFAC 2024-05-03 + UN vessels), each
// alone and all three together, from memory so that the disk is not
// measured. It reports entries parsed per second and bytes per second.
func BenchmarkParseSnapshots(b *testing.B) {
	type input struct {
		name  string
		data  []byte
		parse func(io.Reader) (*screen.List, error)
	}
	var inputs []input
	for _, in := range []struct {
		file  string
		parse func(io.Reader) (*screen.List, error)
	}{
		{un2026, ParseUN},
		{ofac2024, func(r io.Reader) (*screen.List, error) { return ParseOFACCSV(r, nil, nil, nil) }},
		{unVessels, ParseUNVessels},
	} {
		data, err := os.ReadFile(snapshot(b, in.file))
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, input{in.file, data, in.parse})
	}
	run := func(b *testing.B, inputs []input) {
		size := 0
		for _, in := range inputs {
			size += len(in.data)
		}
		b.SetBytes(int64(size))
		b.ReportAllocs()
		entries := 0
		for b.Loop() {
			for _, in := range inputs {
				list, err := in.parse(bytes.NewReader(in.data))
				if err != nil {
					b.Fatal(err)
				}
				entries += len(list.Entries)
			}
		}
		b.ReportMetric(float64(entries)/b.Elapsed().Seconds(), "entries/s")
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) { run(b, []input{in}) })
	}
	b.Run("all", func(b *testing.B) { run(b, inputs) })
}
