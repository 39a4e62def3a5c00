package audit

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// An Anchor is a head of the chain recorded outside the database: the seq
// and hash of the newest entry at a moment, signed with the audit key. A
// chain that no longer holds an anchored entry, with the anchored hash, was
// cut short or rewritten after the anchor was written.
type Anchor struct {
	Seq  int64
	Hash string
	At   time.Time
	MAC  string
	Line int // its line in the anchor file; 0 for one not read from a file
}

// AnchorEvery is how often a running server anchors the head, when the log
// has grown since the last anchor.
const AnchorEvery = 5 * time.Minute

const (
	anchorPrefix    = "tipline-audit-anchor v1"
	anchorMACPrefix = "tipline audit anchor v1\n"
	anchorHeader    = "# Tipline audit anchors: signed heads of the audit log, one a line, appended by tipline serve.\n" +
		"# Check them with: tipline audit verify --anchors THIS-FILE. Never edit this file.\n"
)

// String is the anchor's line in an anchor file, without its newline.
func (a Anchor) String() string {
	return fmt.Sprintf("%s seq=%d time=%s hash=%s mac=%s", anchorPrefix, a.Seq, a.At.UTC().Format(time.RFC3339), a.Hash, a.MAC)
}

// where names an anchor for the operator.
func (a Anchor) where() string {
	at := a.At.UTC().Format(time.RFC3339)
	if a.Line == 0 {
		return "the anchor written " + at
	}
	return fmt.Sprintf("the anchor on line %d (written %s)", a.Line, at)
}

// anchorMAC signs an anchor's seq, time and hash, apart from any entry's
// signature (its own prefix).
func anchorMAC(key []byte, seq int64, at time.Time, hash string) []byte {
	m := hmac.New(sha256.New, key)
	var n [8]byte
	m.Write([]byte(anchorMACPrefix))
	binary.BigEndian.PutUint64(n[:], uint64(seq))
	m.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(at.Unix()))
	m.Write(n[:])
	m.Write([]byte(hash))
	return m.Sum(nil)
}

func (l *Log) newAnchor(seq int64, hash string) Anchor {
	at := l.now().UTC().Truncate(time.Second)
	return Anchor{Seq: seq, Hash: hash, At: at, MAC: hex.EncodeToString(anchorMAC(l.key, seq, at, hash))}
}

// signed reports whether a was signed with this log's key.
func (l *Log) signed(a Anchor) bool {
	got, err := hex.DecodeString(a.MAC)
	return err == nil && hmac.Equal(got, anchorMAC(l.key, a.Seq, a.At, a.Hash))
}

// ReadAnchors parses an anchor file: one anchor a line; blank lines and
// lines starting with # are skipped. It checks the form of each line, not
// its signature (see VerifyAnchors).
func ReadAnchors(r io.Reader) ([]Anchor, error) {
	var out []Anchor
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		a, err := parseAnchor(line)
		if err != nil {
			return nil, fmt.Errorf("line %d is not an anchor (%w): were it cut off by a crash, comment it out with #", n, err)
		}
		a.Line = n
		out = append(out, a)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("failed to read the anchors: %w", err)
	}
	return out, nil
}

func parseAnchor(line string) (Anchor, error) {
	rest, ok := strings.CutPrefix(line, anchorPrefix+" ")
	if !ok {
		return Anchor{}, fmt.Errorf("it does not start with %q", anchorPrefix)
	}
	fields := map[string]string{}
	for _, f := range strings.Fields(rest) {
		k, v, ok := strings.Cut(f, "=")
		if !ok || fields[k] != "" {
			return Anchor{}, fmt.Errorf("bad field %q", f)
		}
		fields[k] = v
	}
	var a Anchor
	var err error
	if a.Seq, err = strconv.ParseInt(fields["seq"], 10, 64); err != nil || a.Seq < 0 {
		return Anchor{}, errors.New("bad seq")
	}
	if a.At, err = time.Parse(time.RFC3339, fields["time"]); err != nil {
		return Anchor{}, errors.New("bad time")
	}
	a.Hash, a.MAC = fields["hash"], fields["mac"]
	for _, h := range []string{a.Hash, a.MAC} {
		if b, err := hex.DecodeString(h); err != nil || len(b) != sha256.Size {
			return Anchor{}, errors.New("bad hash or mac")
		}
	}
	if len(fields) != 4 {
		return Anchor{}, errors.New("unexpected fields")
	}
	return a, nil
}

// ReadAnchorFile reads the anchors of a file (see ReadAnchors).
func ReadAnchorFile(path string) ([]Anchor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	anchors, err := ReadAnchors(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return anchors, nil
}

// ErrAnchorNotSigned is returned, wrapped, for an anchor that the audit key
// did not sign: an edited line, or a file of another installation.
var ErrAnchorNotSigned = errors.New("not signed with this installation's audit key")

// checkSigned names the first anchor not signed with this log's key.
func (l *Log) checkSigned(anchors []Anchor) error {
	for _, a := range anchors {
		if !l.signed(a) {
			return fmt.Errorf("the anchor on line %d is %w: the line was edited, or the file belongs to another installation", a.Line, ErrAnchorNotSigned)
		}
	}
	return nil
}

// AnchorFile appends anchors to a file, for a running server: one line per
// anchor, written with O_APPEND and fsynced. Keep the file where whoever can
// change the database cannot change it — another disk, another machine, a
// file the system keeps append-only (chattr +a).
type AnchorFile struct {
	log      *Log
	path     string
	f        *os.File
	previous []Anchor // what the file held when opened, for Run to check
	last     *Anchor  // the newest anchor written or read
}

// OpenAnchorFile opens (or creates, mode 0600) an anchor file for appending.
// The anchors it already holds must be this installation's; whether the
// chain still holds them, Run checks.
func OpenAnchorFile(l *Log, path string) (*AnchorFile, error) {
	anchors, err := ReadAnchorFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := l.checkSigned(anchors); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("failed to open the anchor file: %w", err)
	}
	a := &AnchorFile{log: l, path: path, f: f, previous: anchors}
	if len(anchors) > 0 {
		a.last = &anchors[len(anchors)-1]
	} else if info, err := f.Stat(); err == nil && info.Size() == 0 {
		if err := a.write(anchorHeader); err != nil {
			f.Close()
			return nil, err
		}
		syncDir(filepath.Dir(path))
	}
	return a, nil
}

// write appends text and fsyncs it.
func (a *AnchorFile) write(text string) error {
	if _, err := a.f.WriteString(text); err != nil {
		return fmt.Errorf("failed to append to the anchor file %s: %w", a.path, err)
	}
	if err := a.f.Sync(); err != nil {
		return fmt.Errorf("failed to append to the anchor file %s: %w", a.path, err)
	}
	return nil
}

// Append anchors the current head: it checks that the chain still holds the
// last anchor and that every entry after it is intact, then appends the
// head — when it has moved, or always when always is set. A chain that no
// longer holds the last anchor returns a *Damage and appends nothing.
func (a *AnchorFile) Append(ctx context.Context, always bool) (Anchor, error) {
	seq, hash, err := a.log.extend(ctx, a.last)
	if err != nil {
		return Anchor{}, err
	}
	if a.last != nil && a.last.Seq == seq && !always {
		return *a.last, nil
	}
	anchor := a.log.newAnchor(seq, hash)
	if err := a.write(anchor.String() + "\n"); err != nil {
		return Anchor{}, err
	}
	a.last = &anchor
	return anchor, nil
}

// Close closes the file.
func (a *AnchorFile) Close() error { return a.f.Close() }

// Run checks the anchors the file held against the whole chain, anchors
// the head, then again every AnchorEvery while the log grows, and once more
// when ctx ends. A chain that fails the checks is logged as an error, with
// what to do, each time; Append then appends nothing. Close the file after.
func (a *AnchorFile) Run(ctx context.Context, every time.Duration, logger *slog.Logger) {
	fail := func(err error) {
		var d *Damage
		if errors.As(err, &d) {
			logger.Error("AUDIT LOG DAMAGED: it fails verification against its anchors", "damage", d.Error(), "anchors", a.path,
				"what to do", "keep the database and the anchor file as they are for investigation, and run tipline audit verify --anchors "+a.path+
					"; if the database was restored from a backup, keep this anchor file as the record and give serve a new one")
			return
		}
		logger.Error("audit anchoring failed", "anchors", a.path, "err", err)
	}
	if _, err := a.log.VerifyAnchors(ctx, "", a.previous); err != nil && ctx.Err() == nil {
		fail(err)
	}
	a.previous = nil
	if anchor, err := a.Append(ctx, true); err != nil && ctx.Err() == nil {
		fail(err)
	} else if err == nil {
		logger.Info("audit log anchored", "anchors", a.path, "seq", anchor.Seq, "every", every.String())
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			if _, err := a.Append(context.WithoutCancel(ctx), true); err != nil {
				fail(err)
			}
			return
		case <-tick.C:
			if _, err := a.Append(ctx, false); err != nil && ctx.Err() == nil {
				fail(err)
			}
		}
	}
}

// syncDir makes a new file's directory entry durable; a failure only
// weakens that, and the next fsync of the file covers most file systems.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
