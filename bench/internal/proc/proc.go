// Package proc reads what the load tools report about a server process and
// the machine from Linux's /proc: resident memory, CPU time and disk writes.
package proc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ticksPerSecond is USER_HZ, the unit of CPU times in /proc: 100 on every
// Linux architecture Tipline runs on.
const ticksPerSecond = 100

// Memory is a process's resident memory, in bytes.
type Memory struct {
	RSS  int64 // VmRSS: resident now
	Peak int64 // VmHWM: the most resident since start or the last ResetPeak
	Anon int64 // RssAnon: the part of RSS that is not a file mapping
}

// ReadMemory reads /proc/PID/status.
func ReadMemory(pid int) (Memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Memory{}, err
	}
	defer f.Close()
	return parseStatus(f)
}

func parseStatus(r io.Reader) (Memory, error) {
	var m Memory
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		fields := strings.Fields(value)
		if !ok || len(fields) != 2 || fields[1] != "kB" {
			continue
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			continue
		}
		switch name {
		case "VmRSS":
			m.RSS = kb << 10
		case "VmHWM":
			m.Peak = kb << 10
		case "RssAnon":
			m.Anon = kb << 10
		}
	}
	if err := sc.Err(); err != nil {
		return m, err
	}
	if m.RSS == 0 {
		return m, errors.New("no VmRSS in /proc status")
	}
	return m, nil
}

// ResetPeak sets a process's VmHWM back to its current RSS (writing 5 to
// /proc/PID/clear_refs, Linux 4.0 and later), so the next reading of Peak
// covers only what happens after now.
func ResetPeak(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// CPU returns a process's user plus system time, from /proc/PID/stat.
func CPU(pid int) (time.Duration, error) {
	st, err := readStat(fmt.Sprintf("/proc/%d/stat", pid))
	return st.cpu, err
}

// TreeCPU returns the user plus system time of a process and its children:
// those alive now, and those that have exited and been waited for (which
// the kernel adds to the parent's cutime and cstime). For a PostgreSQL
// postmaster, that is the whole cluster: every backend is its child.
func TreeCPU(pid int) (time.Duration, error) {
	st, err := readStat(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	total := st.cpu + st.reapedChildrenCPU
	paths, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range paths {
		if child, err := readStat(p); err == nil && child.ppid == pid {
			total += child.cpu
		}
	}
	return total, nil
}

type stat struct {
	comm              string
	ppid              int
	cpu               time.Duration // utime + stime
	reapedChildrenCPU time.Duration // cutime + cstime
}

func readStat(path string) (stat, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return stat{}, err
	}
	// The command name (field 2) may hold spaces and parentheses; the fields
	// after its last ")" are plain numbers: ppid is field 4, utime, stime,
	// cutime and cstime fields 14 to 17.
	i, j := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if i < 0 || j < i {
		return stat{}, errors.New("unreadable /proc stat")
	}
	f := strings.Fields(string(b[j+1:]))
	if len(f) < 15 {
		return stat{}, errors.New("short /proc stat")
	}
	var n [5]int64
	for k, field := range []int{1, 11, 12, 13, 14} {
		if n[k], err = strconv.ParseInt(f[field], 10, 64); err != nil {
			return stat{}, err
		}
	}
	return stat{comm: string(b[i+1 : j]), ppid: int(n[0]), cpu: ticks(n[1] + n[2]), reapedChildrenCPU: ticks(n[3] + n[4])}, nil
}

// SelfCPU returns this process's own user plus system time.
func SelfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// WriteBytes returns the bytes a process has caused to be sent to storage
// (write_bytes in /proc/PID/io): file data, a database's journal, its
// checkpoints, counted when the page is dirtied.
func WriteBytes(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "write_bytes: "); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, errors.New("no write_bytes in /proc io")
}

// Machine is the time all CPUs together spent in each state since boot.
type Machine struct {
	Busy, Idle, IOWait time.Duration
}

// ReadMachine reads the "cpu" line of /proc/stat.
func ReadMachine() (Machine, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return Machine{}, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return Machine{}, errors.New("unreadable /proc/stat")
	}
	var v [8]int64
	for i := range v {
		if v[i], err = strconv.ParseInt(f[i+1], 10, 64); err != nil {
			return Machine{}, err
		}
	}
	// user nice system idle iowait irq softirq steal
	return Machine{
		Busy:   ticks(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]),
		Idle:   ticks(v[3]),
		IOWait: ticks(v[4]),
	}, nil
}

// Sub returns the time spent between two readings.
func (m Machine) Sub(earlier Machine) Machine {
	return Machine{Busy: m.Busy - earlier.Busy, Idle: m.Idle - earlier.Idle, IOWait: m.IOWait - earlier.IOWait}
}

func ticks(n int64) time.Duration { return time.Duration(n) * time.Second / ticksPerSecond }
