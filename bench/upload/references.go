package main

import (
	"crypto/rand"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// writeRandomFile writes size incompressible bytes and fsyncs them, so that
// their write-back does not land in a timed step.
func writeRandomFile(path string, size int64) error {
	var seed [32]byte
	rand.Read(seed[:])
	src := mrand.NewChaCha8(seed)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	buf := make([]byte, 1<<20)
	for left := size; left > 0; {
		n := int(min(int64(len(buf)), left))
		src.Read(buf[:n])
		if _, err := f.Write(buf[:n]); err != nil {
			f.Close()
			return err
		}
		left -= int64(n)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// newRecipient makes a throwaway age key pair and returns its recipient.
func newRecipient(cfg config) (string, error) {
	keyFile := filepath.Join(cfg.dir, "age-key.txt")
	os.Remove(keyFile)
	if out, err := exec.Command(cfg.ageKeygen, "-o", keyFile).CombinedOutput(); err != nil {
		return "", fmt.Errorf("age-keygen: %v: %s", err, out)
	}
	out, err := exec.Command(cfg.ageKeygen, "-y", keyFile).Output()
	if err != nil {
		return "", fmt.Errorf("age-keygen -y: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

func timeRead(path string) (time.Duration, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	t0 := time.Now()
	_, err = io.Copy(io.Discard, f)
	return time.Since(t0), err
}

// timeCopy copies the file beside itself and fsyncs the copy, as
// `cp FILE COPY && sync COPY` would.
func timeCopy(path string) (time.Duration, error) {
	src, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	copyPath := path + ".copy"
	defer os.Remove(copyPath)
	dst, err := os.Create(copyPath)
	if err != nil {
		return 0, err
	}
	defer dst.Close()
	t0 := time.Now()
	if _, err := io.Copy(dst, src); err != nil {
		return 0, err
	}
	if err := dst.Sync(); err != nil {
		return 0, err
	}
	return time.Since(t0), nil
}

// timeAge runs the age command as a user would, then fsyncs its output
// separately: age itself does not fsync, while the server does.
func timeAge(cfg config, recipient, file string, r *round) error {
	out := filepath.Join(cfg.dir, "out.age")
	defer os.Remove(out)
	cmd := exec.Command(cfg.age, "-r", recipient, "-o", out, file)
	cmd.Stderr = os.Stderr
	t0 := time.Now()
	timer := time.AfterFunc(cfg.timeout, func() {
		if cmd.Process != nil {
			cmd.Process.Kill()
		}
	})
	err := cmd.Run()
	r.age = time.Since(t0)
	timer.Stop()
	if err != nil {
		return fmt.Errorf("age: %w", err)
	}
	r.ageCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	f, err := os.Open(out)
	if err != nil {
		return err
	}
	defer f.Close()
	t1 := time.Now()
	if err := f.Sync(); err != nil {
		return err
	}
	r.ageFsync = time.Since(t1)
	return nil
}
