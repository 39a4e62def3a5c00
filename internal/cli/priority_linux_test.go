package cli

import (
	"os"
	"strings"
	"testing"
)

// After lowerPriority every thread of the process runs at nice 10, and so do
// threads started after it.
func TestLowerPriorityCoversEveryThread(t *testing.T) {
	lowerPriority()
	done := make(chan struct{})
	for range 4 { // busy goroutines make the runtime start threads
		go func() {
			for {
				select {
				case <-done:
					return
				default:
				}
			}
		}()
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
