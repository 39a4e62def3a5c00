package proc

import (
	"os"
	"testing"
)

// The readers are checked against this very process, which /proc always has.
func TestSelf(t *testing.T) {
	pid := os.Getpid()
	m, err := ReadMemory(pid)
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS <= 0 || m.Peak < m.RSS || m.Anon <= 0 || m.Anon > m.RSS {
		t.Errorf("memory = %+v, want 0 < Anon <= RSS <= Peak", m)
	}
	if _, err := CPU(pid); err != nil {
		t.Error(err)
	}
	st, err := readStat("/proc/self/stat")
	if err != nil || st.comm != "proc.test" || st.ppid != os.Getppid() {
		t.Errorf("stat = %+v, %v; want proc.test, parent %d", st, err, os.Getppid())
	}
	own, err := CPU(pid)
	if err != nil {
		t.Fatal(err)
	}
	if tree, err := TreeCPU(pid); err != nil || tree < own {
		t.Errorf("TreeCPU = %v, %v; want at least CPU = %v", tree, err, own)
	}
	if _, err := WriteBytes(pid); err != nil && !os.IsPermission(err) {
		t.Error(err)
	}
	mc, err := ReadMachine()
	if err != nil {
		t.Fatal(err)
	}
	if mc.Busy+mc.Idle <= 0 {
		t.Errorf("machine = %+v, want some time", mc)
	}
	if err := ResetPeak(pid); err != nil && !os.IsPermission(err) {
		t.Error(err)
	}
}
