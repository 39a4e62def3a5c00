package upload

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
)

// parsed is what a multipart reader made of a body: each part's name, file
// name and content, then whether it ended in an error.
type parsed struct {
	parts  []string
	failed bool
}

func parseStd(body []byte, boundary string, oneByte bool) parsed {
	var r io.Reader = bytes.NewReader(body)
	if oneByte {
		r = iotest.OneByteReader(r)
	}
	mr := multipart.NewReader(r, boundary)
	var out parsed
	for {
		p, err := mr.NextPart()
		if err != nil {
			out.failed = err != io.EOF
			return out
		}
		data, err := io.ReadAll(p)
		out.parts = append(out.parts, fmt.Sprintf("%q %q %q", p.FormName(), p.FileName(), data))
		if err != nil {
			out.failed = true
			return out
		}
	}
}

func parseOurs(body []byte, boundary string, oneByte bool) parsed {
	var r io.Reader = bytes.NewReader(body)
	if oneByte {
		r = iotest.OneByteReader(r)
	}
	req, _ := http.NewRequest("POST", "/", r)
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	mr, err := newFormReader(req)
	if err != nil {
		return parsed{failed: true}
	}
	var out parsed
	for {
		p, err := mr.NextPart()
		if err != nil {
			out.failed = err != io.EOF
			return out
		}
		data, err := io.ReadAll(p)
		out.parts = append(out.parts, fmt.Sprintf("%q %q %q", p.FormName(), p.FileName(), data))
		if err != nil {
			out.failed = true
			return out
		}
	}
}

var multipartSeeds = []string{
	"--b\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\noil\r\n--b\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"a/b.txt\"\r\nContent-Type: text/plain\r\n\r\nline one\r\n--bx not a boundary\r\n\r\n--b--\r\n",
	"preamble\r\n--b  \r\nContent-Disposition: form-data; name=\"m\"\r\n\r\n\r\n--b--",
	"--b\nContent-Disposition: form-data; name=\"lf\"\n\nonly LF\n--b--\n",
	"--b\r\nContent-Disposition: form-data; name=\"q\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nA=3DB=\r\nC\r\n--b--\r\n",
	"--b\r\nContent-Disposition: form-data; name=\"cut\"\r\n\r\nno closing boundary",
	"--b\r\ngarbage without headers",
	"--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n--b--\r\n",
	"--b\r\n\r\nno headers at all\r\n--b\r\nBad Header Line\r\n\r\n--b--\r\n",
	"--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nbody\r\n--b\r\ntrailing junk",
	"--b--\r\n",
	"",
}

// The reader accepts and refuses exactly what mime/multipart does, and reads
// the same parts from what it accepts, whatever the body and however the
// network splits it.
func FuzzFormReaderMatchesMimeMultipart(f *testing.F) {
	for _, s := range multipartSeeds {
		f.Add([]byte(s), "b", false)
		f.Add([]byte(s), "b", true)
	}
	f.Fuzz(func(t *testing.T, body []byte, boundary string, oneByte bool) {
		if boundary == "" || len(boundary) > 70 || strings.ContainsAny(boundary, "\r\n\";\\ ") {
			return
		}
		std, ours := parseStd(body, boundary, oneByte), parseOurs(body, boundary, oneByte)
		if fmt.Sprint(std) != fmt.Sprint(ours) {
			t.Fatalf("body %q, boundary %q:\nmime/multipart %v\nformReader     %v", body, boundary, std, ours)
		}
	})
}

// A file far larger than the buffer comes through whole, and its part ends
// at the boundary even when the boundary straddles two buffer fills.
func TestFormReaderLargePart(t *testing.T) {
	file := bytes.Repeat([]byte("0123456789\r\n--"), 3*formBuffer/14+5)
	var body bytes.Buffer
	body.WriteString("--b\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"big\"\r\n\r\n")
	body.Write(file)
	body.WriteString("\r\n--b\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nyes\r\n--b--\r\n")
	std, ours := parseStd(body.Bytes(), "b", false), parseOurs(body.Bytes(), "b", false)
	if fmt.Sprint(std) != fmt.Sprint(ours) || len(ours.parts) != 2 || ours.failed {
		t.Fatalf("large part: %d parts, failed %v; same as mime/multipart: %v", len(ours.parts), ours.failed, fmt.Sprint(std) == fmt.Sprint(ours))
	}
}

// Part headers that do not fit the buffer are refused.
func TestFormReaderRefusesHugeHeaders(t *testing.T) {
	body := "--b\r\nContent-Disposition: form-data; name=\"x\"\r\nX-Pad: " + strings.Repeat("a", formBuffer) + "\r\n\r\nv\r\n--b--\r\n"
	req, _ := http.NewRequest("POST", "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	mr, err := newFormReader(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mr.NextPart(); !errors.Is(err, errHeaderTooLarge) {
		t.Fatalf("got %v, want errHeaderTooLarge", err)
	}
}
