package cli

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// backgroundNice and the best-effort I/O level 7 are the priorities of a
// backup: it gives way to the server, which must go on answering sources as
// if no backup ran, and takes longer only when the machine is busy.
const backgroundNice = 10

// lowerPriority lowers the CPU and I/O priority of every thread of this
// process. Linux keeps both per thread, and a new thread inherits its
// creator's, so setting every thread running now covers those to come.
func lowerPriority() {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return // the backup then runs at normal priority: slower for others, no less correct
	}
	const whoProcess, classBestEffort, lowest = 1, 2, 7
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		unix.Setpriority(unix.PRIO_PROCESS, tid, backgroundNice)
		unix.Syscall(unix.SYS_IOPRIO_SET, whoProcess, uintptr(tid), classBestEffort<<13|lowest)
	}
}
