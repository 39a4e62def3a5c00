package main

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

func mbps(size int64, d time.Duration) float64 { return float64(size) / 1e6 / d.Seconds() }

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func printRound(i int, size int64, r round, idle int64) {
	fmt.Printf("  round %d: age %.2fs (%.0f MB/s; +fsync %.2fs, cpu %.2fs)  upload %.2fs (%.0f MB/s, server cpu %.2fs, wrote %s)  read %.2fs\n",
		i, r.age.Seconds(), mbps(size, r.age), r.ageFsync.Seconds(), r.ageCPU.Seconds(),
		r.upload.Seconds(), mbps(size, r.upload), r.serverCPU.Seconds(), mib(r.serverWrote), r.read.Seconds())
	fmt.Printf("           copy + fsync %.2fs (%.0f MB/s); the client used %.2fs CPU, other processes %.2fs during the upload\n",
		r.copy.Seconds(), mbps(size, r.copy), r.clientCPU.Seconds(), r.otherCPU.Seconds())
	fmt.Printf("           server RSS idle %s, before %s, peak (VmHWM) %s, sampled peak %s (anon %s)\n",
		mib(idle), mib(r.rssBefore), mib(r.hwm), mib(r.sampledPeak), mib(r.sampledAnonPeak))
}

// median returns the middle of f over the rounds (the upper middle of an
// even number).
func median[T cmp.Ordered](rounds []round, f func(round) T) T {
	v := make([]T, len(rounds))
	for i, r := range rounds {
		v[i] = f(r)
	}
	slices.Sort(v)
	return v[len(v)/2]
}

func summarise(cfg config, rounds []round, idle int64) {
	age := median(rounds, func(r round) time.Duration { return r.age })
	ageSynced := median(rounds, func(r round) time.Duration { return r.age + r.ageFsync })
	ageCPU := median(rounds, func(r round) time.Duration { return r.ageCPU })
	up := median(rounds, func(r round) time.Duration { return r.upload })
	read := median(rounds, func(r round) time.Duration { return r.read })
	copied := median(rounds, func(r round) time.Duration { return r.copy })
	cpu := median(rounds, func(r round) time.Duration { return r.serverCPU })
	wrote := median(rounds, func(r round) int64 { return r.serverWrote })
	other := median(rounds, func(r round) time.Duration { return r.otherCPU })
	client := median(rounds, func(r round) time.Duration { return r.clientCPU })
	var peak, perRun int64
	for _, r := range rounds {
		peak = max(peak, r.hwm, r.sampledPeak)
		perRun = max(perRun, max(r.hwm, r.sampledPeak)-r.rssBefore)
	}
	fmt.Printf("upload: %s file, %d rounds, medians\n", mib(cfg.size), len(rounds))
	fmt.Printf("  age:                %6.2fs  %4.0f MB/s  (CPU %.2fs)\n", age.Seconds(), mbps(cfg.size, age), ageCPU.Seconds())
	fmt.Printf("  age, then fsync:    %6.2fs  %4.0f MB/s\n", ageSynced.Seconds(), mbps(cfg.size, ageSynced))
	fmt.Printf("  server upload:      %6.2fs  %4.0f MB/s  (server CPU %.2fs, %.0f%% of one core)\n",
		up.Seconds(), mbps(cfg.size, up), cpu.Seconds(), 100*cpu.Seconds()/up.Seconds())
	fmt.Printf("  client (this tool): %6.2fs CPU during an upload (sending the file shares the cores)\n", client.Seconds())
	fmt.Printf("  other processes:    %6.2fs CPU during an upload (the machine's other work)\n", other.Seconds())
	fmt.Printf("  read the file:      %6.2fs  %4.0f MB/s\n", read.Seconds(), mbps(cfg.size, read))
	fmt.Printf("  copy it, fsync:     %6.2fs  %4.0f MB/s\n", copied.Seconds(), mbps(cfg.size, copied))
	fmt.Printf("  ratio to age:       %.2f  (age alone does not fsync)\n", age.Seconds()/up.Seconds())
	fmt.Printf("  ratio to age+fsync: %.2f  (goal >= 0.9)\n", ageSynced.Seconds()/up.Seconds())
	fmt.Printf("  server disk writes: %s per upload (%.2f× the file)\n", mib(wrote), float64(wrote)/float64(cfg.size))
	fmt.Printf("  memory growth:      %s, peak over idle (idle %s, peak %s); worst within one round %s  (goal < 64 MiB)\n",
		mib(peak-idle), mib(idle), mib(peak), mib(perRun))
}
