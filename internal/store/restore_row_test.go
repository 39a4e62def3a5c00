package store

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"slices"
	"testing"
)

// Rows as a backup writes them decode to the values read: text with every
// character JSON escapes (quotes, backslashes — one ending a string —
// commas, brackets, control characters, four scripts), integers at both
// ends, bytes of every value, NULLs.
func TestRowsDecodeAsTheyWereWritten(t *testing.T) {
	every := make([]byte, 256)
	for i := range every {
		every[i] = byte(i)
	}
	table := Table{Columns: []Column{{"a", KindText}, {"b", KindInt}, {"c", KindBytes}, {"d", KindText}, {"e", KindText}}}
	rows := [][]any{
		{`he said "no", then \ left`, int64(-9223372036854775808), every, nil, `ends in a backslash \`},
		{"", int64(9223372036854775807), []byte{}, "제재 · 制裁 · санкции, [x] {y}", "tab\tnew\nline\x01\u2028"},
		{`\\"`, int64(0), nil, `","`, `\`},
	}
	for _, want := range rows {
		out := make([]any, len(want))
		for i, c := range table.Columns {
			v, err := backupValue(c.Kind, want[i])
			if err != nil {
				t.Fatal(err)
			}
			out[i] = v
		}
		var line bytes.Buffer
		enc := json.NewEncoder(&line)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			t.Fatal(err)
		}
		got, err := decodeRow(table, line.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", line.Bytes(), err)
		}
		for i := range want {
			w, g := want[i], got[i]
			if wb, ok := w.([]byte); ok {
				if gb, ok := g.([]byte); !ok || !bytes.Equal(wb, gb) {
					t.Fatalf("column %d: %q, want %q", i, g, w)
				}
				continue
			}
			if w != g {
				t.Fatalf("column %d: %#v, want %#v (line %s)", i, g, w, line.Bytes())
			}
		}
	}
}

// A row that is not one — cut, run on, a value of the wrong kind — is an
// error, never a row.
func TestBrokenRowsAreRefused(t *testing.T) {
	table := Table{Columns: []Column{{"a", KindText}, {"b", KindInt}}}
	for _, line := range []string{
		`["a", 1`, `"a", 1]`, `["a", 1,]`, `["a" 1]`, `["a]`, `["a", "1"]`, `[1, 1]`, `["a"]`, `["a", 1, 2]`, `["a\"]`, `[]`,
	} {
		if row, err := decodeRow(table, []byte(line)); err == nil {
			t.Errorf("%s decoded as %v", line, row)
		}
	}
	if got, err := splitRow([]byte(` [ "x,y" , null ,3 ] `)); err != nil || !slices.EqualFunc(got, [][]byte{[]byte(`"x,y"`), []byte("null"), []byte("3")}, bytes.Equal) {
		t.Fatalf("splitRow: %q, %v", got, err)
	}
}

func BenchmarkDecodeChunkRow(b *testing.B) {
	data := make([]byte, ChunkSize)
	rand.Read(data)
	v, _ := backupValue(KindBytes, data)
	line, _ := json.Marshal([]any{"abcdefghijabcdefghijabcdef", int64(3), v})
	table := Table{Columns: []Column{{"blob_id", KindText}, {"seq", KindInt}, {"data", KindBytes}}}
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if _, err := decodeRow(table, line); err != nil {
			b.Fatal(err)
		}
	}
}
