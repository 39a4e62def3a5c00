// Package disk watches the room left on the data folder's file system, so
// that the source site refuses a report it has no room for before receiving
// it, and answers one that meets a full disk anyway with the same clear page.
//
// Room is the check before a write: the free space, read with statfs at most
// once a second, less what the request says it will send, must stay above
// a reserve (serve --min-free). ErrFull is what every layer answers when the
// disk has no room — Room's refusal, and the store's ENOSPC or SQLITE_FULL —
// so that one page, and one HTTP status (507), says so.
//
// What it cannot promise: the figure is a second old at most, and uploads of
// unknown length, or several large ones at once, can still fill the disk
// past the reserve. The store's handling of a full disk is the backstop.
package disk

import (
	"errors"
	"fmt"
	"sync"
	"syscall"
	"time"

	"tipline/internal/tip"
)

// ErrFull says the disk has no room for what was sent. It is safe to show.
var ErrFull = tip.Errorf(tip.CodeNoRoom, "the disk is full: free some room on the data folder's disk, and try again")

// IsFull reports whether err is the operating system saying there is no
// room: the disk (ENOSPC) or the user's quota (EDQUOT) is full.
func IsFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// Free returns the bytes Tipline's user may still write on dir's file
// system: what is free, less the blocks reserved for root.
func Free(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("failed to read the free space of %s: %w", dir, err)
	}
	return st.Bavail * uint64(st.Bsize), nil
}

// DefaultMinFree is serve's reserve when --min-free is not given: 1 GiB.
// Below it a report is refused before it is received, so the room left
// goes to what must not fail for want of it — the database's commits and
// its write-ahead log (up to 32 MiB between checkpoints), the desk's work,
// the audit log, shredding (which writes before it frees) — and to the
// operator's time to act on the alert.
const DefaultMinFree = 1 << 30

// readEvery is how long a free-space figure is trusted: statfs is cheap,
// but not free on every request of a flood.
const readEvery = time.Second

// Room checks that a write leaves at least a reserve free on a folder's
// file system. A nil Room, or one with no reserve, admits everything.
type Room struct {
	dir     string
	minFree uint64
	free    func(dir string) (uint64, error) // Free; a test hook
	now     func() time.Time

	mu     sync.Mutex
	readAt time.Time
	left   uint64 // free at readAt, less what was admitted since
}

// NewRoom watches dir's file system, keeping minFree bytes free (0: off).
func NewRoom(dir string, minFree uint64) *Room {
	return &Room{dir: dir, minFree: minFree, free: Free, now: time.Now}
}

// MinFree returns the reserve, 0 when the check is off.
func (r *Room) MinFree() uint64 {
	if r == nil {
		return 0
	}
	return r.minFree
}

// Admit refuses, with an error wrapping ErrFull, a write of incoming bytes
// (a request body's declared length; 0 or less when unknown) that would
// leave less than the reserve free. What it admits is taken from the figure
// until the next statfs, so a burst of uploads within a second is counted.
func (r *Room) Admit(incoming int64) error {
	if r == nil || r.minFree == 0 {
		return nil
	}
	need := uint64(max(incoming, 0))
	r.mu.Lock()
	defer r.mu.Unlock()
	if now := r.now(); r.readAt.IsZero() || now.Sub(r.readAt) >= readEvery {
		free, err := r.free(r.dir)
		if err != nil {
			return err
		}
		r.readAt, r.left = now, free
	}
	if r.left < r.minFree || r.left-r.minFree < need {
		return fmt.Errorf("%w (%d bytes free, %d to come, %d kept in reserve)", ErrFull, r.left, need, r.minFree)
	}
	r.left -= need
	return nil
}
