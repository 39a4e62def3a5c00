package cli

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// After lowerPriority every thread of the process runs at nice 10, and so do
// threads started after it.
func TestLowerPriorityCoversEveryThread(t *testing.T) {
	lowerPriority()
	done := make(chan struct{})
	started := make(chan struct{})
	for range 4 { // each wires a thread of its own: the runtime starts new ones
		go func() {
			runtime.LockOSThread()
			started <- struct{}{}
			<-done
		}()
		<-started
	}
	defer close(done)
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Skip("no /proc")
	}
	for _, task := range tasks {
		stat, err := os.ReadFile("/proc/self/task/" + task.Name() + "/stat")
		if err != nil {
			continue // the thread ended
		}
		// The fields after the command's closing parenthesis: nice is the
		// 19th field of the line, the 17th after it.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if fields[16] != "10" {
			t.Fatalf("thread %s runs at nice %s", task.Name(), fields[16])
		}
	}
}
