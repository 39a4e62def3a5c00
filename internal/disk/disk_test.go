package disk

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tipline/internal/tip"
)

// fakeDisk is a file system whose free space the test sets, and whose
// statfs calls it counts.
type fakeDisk struct {
	free  uint64
	reads int
}

func (f *fakeDisk) room(minFree uint64, clock *time.Time) *Room {
	r := NewRoom("/data", minFree)
	r.free = func(string) (uint64, error) { f.reads++; return f.free, nil }
	r.now = func() time.Time { return *clock }
	return r
}

// A write is admitted while what it declares leaves the reserve free, and
// refused with ErrFull (a 507) once it would not.
func TestRoomKeepsTheReserve(t *testing.T) {
	for _, c := range []struct {
		name     string
		free     uint64
		incoming int64
		admitted bool
	}{
		{"plenty", 10 << 20, 1 << 20, true},
		{"leaves exactly the reserve", 10 << 20, 9 << 20, true},
		{"one byte into the reserve", 10 << 20, 9<<20 + 1, false},
		{"already under the reserve, nothing declared", 1<<20 - 1, 0, false},
		{"unknown length counts as nothing", 2 << 20, -1, true},
		{"at the reserve, nothing declared", 1 << 20, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			clock := time.Unix(1e9, 0)
			disk := &fakeDisk{free: c.free}
			err := disk.room(1<<20, &clock).Admit(c.incoming)
			if c.admitted && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !c.admitted {
				if !errors.Is(err, ErrFull) {
					t.Fatalf("admitted, or refused with %v: want ErrFull", err)
				}
				if got := tip.HTTPStatus(err); got != 507 {
					t.Fatalf("answered with %d, want 507", got)
				}
			}
		})
	}
}

// The free space is read at most once a second; what was admitted in
// between is taken from it, and room freed is seen at the next read.
func TestRoomReadsOncePerSecondAndCountsWhatItAdmitted(t *testing.T) {
	clock := time.Unix(1e9, 0)
	disk := &fakeDisk{free: 10 << 20}
	r := disk.room(1<<20, &clock)
	for range 4 {
		if err := r.Admit(2 << 20); err != nil {
			t.Fatalf("refused: %v", err)
		}
	}
	if err := r.Admit(2 << 20); !errors.Is(err, ErrFull) {
		t.Fatalf("a fifth upload of 2 MiB within the second into 10 MiB with 1 MiB kept: %v, want ErrFull", err)
	}
	if disk.reads != 1 {
		t.Fatalf("statfs read %d times within a second, want 1", disk.reads)
	}
	clock = clock.Add(readEvery)
	disk.free = 100 << 20 // room freed
	if err := r.Admit(2 << 20); err != nil {
		t.Fatalf("refused after room was freed: %v", err)
	}
	if disk.reads != 2 {
		t.Fatalf("statfs read %d times, want 2", disk.reads)
	}
}

// Off (0) or nil, it admits anything without reading the disk.
func TestRoomOff(t *testing.T) {
	clock := time.Unix(1e9, 0)
	disk := &fakeDisk{free: 0}
	if err := disk.room(0, &clock).Admit(1 << 40); err != nil {
		t.Fatal(err)
	}
	if err := (*Room)(nil).Admit(1 << 40); err != nil {
		t.Fatal(err)
	}
	if disk.reads != 0 {
		t.Fatalf("read the disk %d times with the check off", disk.reads)
	}
}

// Free reads the real file system, and Room refuses on it when the reserve
// is more than the disk holds.
func TestFreeReadsTheFileSystem(t *testing.T) {
	dir := t.TempDir()
	free, err := Free(dir)
	if err != nil {
		t.Fatal(err)
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	if total := st.Blocks * uint64(st.Bsize); free == 0 || free > total {
		t.Fatalf("%d bytes free on a file system of %d", free, total)
	}
	if err := NewRoom(dir, free+1<<40).Admit(0); !errors.Is(err, ErrFull) {
		t.Fatalf("a reserve a terabyte past the free space: %v, want ErrFull", err)
	}
	if _, err := Free(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("no error for a folder that does not exist")
	}
}

// ENOSPC and EDQUOT, however wrapped, are a full disk; other errors are not.
func TestIsFull(t *testing.T) {
	for _, c := range []struct {
		err  error
		full bool
	}{
		{&os.PathError{Op: "write", Path: "/data/blobs/x", Err: syscall.ENOSPC}, true},
		{&os.PathError{Op: "write", Path: "/data/blobs/x", Err: syscall.EDQUOT}, true},
		{&os.PathError{Op: "write", Path: "/data/blobs/x", Err: syscall.EIO}, false},
		{errors.New("no space left on device"), false},
	} {
		if got := IsFull(c.err); got != c.full {
			t.Errorf("IsFull(%v) = %v, want %v", c.err, got, c.full)
		}
	}
}
