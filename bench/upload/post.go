package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"tipline/bench/internal/proc"
)

var receiptPattern = regexp.MustCompile(`<p id="receipt">([^<]+)</p>`)

// timeUpload posts the file and samples the server's memory while it does.
func timeUpload(cfg config, client *http.Client, base *url.URL, file string, r *round) error {
	body, length, closeBody, err := multipartBody(file)
	if err != nil {
		return err
	}
	defer closeBody()
	req, err := http.NewRequest(http.MethodPost, base.String()+"/submit", body)
	if err != nil {
		return err
	}
	req.ContentLength = length
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)

	before, err := proc.ReadMemory(cfg.pid)
	if err != nil {
		return err
	}
	r.rssBefore = before.RSS
	if err := proc.ResetPeak(cfg.pid); err != nil {
		return fmt.Errorf("cannot reset the server's peak RSS: %w", err)
	}
	cpu0, _ := proc.CPU(cfg.pid)
	self0, machine0 := proc.SelfCPU(), readMachine()
	io0, _ := proc.WriteBytes(cfg.pid)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(cfg.every)
		defer tick.Stop()
		for {
			if m, err := proc.ReadMemory(cfg.pid); err == nil {
				r.sampledPeak = max(r.sampledPeak, m.RSS)
				r.sampledAnonPeak = max(r.sampledAnonPeak, m.Anon)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()

	t0 := time.Now()
	resp, err := client.Do(req)
	var page []byte
	if err == nil {
		page, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	r.upload = time.Since(t0)
	close(stop)
	wg.Wait()
	if err != nil {
		return err
	}
	after, err := proc.ReadMemory(cfg.pid)
	if err != nil {
		return err
	}
	r.hwm = after.Peak
	cpu1, _ := proc.CPU(cfg.pid)
	machine := readMachine().Sub(machine0)
	// The machine's counters are sampled per tick and the processes' are not,
	// so this can come out a little below zero when it is none.
	r.clientCPU = proc.SelfCPU() - self0
	r.otherCPU = max(0, machine.Busy-(cpu1-cpu0)-r.clientCPU)
	io1, _ := proc.WriteBytes(cfg.pid)
	r.serverCPU, r.serverWrote = cpu1-cpu0, io1-io0
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %.300s", resp.StatusCode, page)
	}
	if !receiptPattern.Match(page) {
		return errors.New("HTTP 200 without a receipt")
	}
	return nil
}

const boundary = "tipline-bench-upload-boundary-5d41402abc4b2a76"

// multipartBody is the form as a stream: small fields, then the file read
// from disk as the transport sends it, then the closing boundary.
func multipartBody(file string) (io.Reader, int64, func(), error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, 0, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, nil, err
	}
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	if err := mw.SetBoundary(boundary); err != nil {
		f.Close()
		return nil, 0, nil, err
	}
	for _, kv := range [][2]string{
		{"category", "oil"},
		{"message", "Upload benchmark: one large file of random bytes."},
		{"send_others_as_is", "1"},
	} {
		if err := mw.WriteField(kv[0], kv[1]); err != nil {
			f.Close()
			return nil, 0, nil, err
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="attachment"; filename="`+filepath.Base(file)+`"`)
	h.Set("Content-Type", "application/octet-stream")
	if _, err := mw.CreatePart(h); err != nil {
		f.Close()
		return nil, 0, nil, err
	}
	tail := "\r\n--" + boundary + "--\r\n"
	length := int64(head.Len()) + info.Size() + int64(len(tail))
	return io.MultiReader(&head, f, strings.NewReader(tail)), length, func() { f.Close() }, nil
}

func readMachine() proc.Machine {
	m, _ := proc.ReadMachine()
	return m
}
