package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// userHZ is the unit of the CPU times in /proc/<pid>/stat: USER_HZ, fixed at 100 for user space on
// every Linux architecture whatever the kernel's HZ.
const userHZ = 100

// cpuTicks reads utime+stime (fields 14 and 15, in clock ticks) from the text of /proc/<pid>/stat.
// The command name (field 2) is in parentheses and may contain spaces and parentheses, so fields
// are counted from the last ')'.
func cpuTicks(stat string) (uint64, error) {
	end := strings.LastIndexByte(stat, ')')
	if end < 0 {
		return 0, errors.New("proc stat: no command name")
	}
	fields := strings.Fields(stat[end+1:])
	// fields[0] is field 3 (state), so field n is fields[n-3].
	if len(fields) < 13 {
		return 0, fmt.Errorf("proc stat: %d fields after the command name, want at least 13", len(fields))
	}
	utime, err := strconv.ParseUint(fields[11], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("proc stat: utime: %w", err)
	}
	stime, err := strconv.ParseUint(fields[12], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("proc stat: stime: %w", err)
	}
	return utime + stime, nil
}

// memStatus reads VmRSS and VmHWM (in bytes) from the text of /proc/<pid>/status.
func memStatus(r io.Reader) (rss, hwm uint64, err error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		f := strings.Fields(value)
		if len(f) != 2 || f[1] != "kB" {
			return 0, 0, fmt.Errorf("proc status: %s: unexpected value %q", name, value)
		}
		kb, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("proc status: %s: %w", name, err)
		}
		if name == "VmRSS" {
			rss = kb << 10
		} else {
			hwm = kb << 10
		}
	}
	if err := sc.Err(); err != nil {
		return 0, 0, err
	}
	if rss == 0 && hwm == 0 {
		return 0, 0, errors.New("proc status: no VmRSS or VmHWM (a kernel thread or a zombie?)")
	}
	return rss, hwm, nil
}

// procUsage is what a process used during a window: CPU seconds (user+system) and the largest
// resident set seen (sampled VmRSS, and the process's lifetime high-water mark VmHWM at the end).
type procUsage struct {
	CPUSeconds float64
	PeakRSS    uint64
	HWM        uint64
}

// procSampler measures one process from start() to stop().
type procSampler struct {
	pid       int
	every     time.Duration
	startTick uint64
	done      chan struct{}
	wg        sync.WaitGroup
	mu        sync.Mutex
	peak      uint64
}

func readCPUTicks(pid int) (uint64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return cpuTicks(string(b))
}

func readMem(pid int) (rss, hwm uint64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	return memStatus(f)
}

// startSampling reads the CPU counter now and samples VmRSS every interval until stop.
func startSampling(pid int, every time.Duration) (*procSampler, error) {
	t, err := readCPUTicks(pid)
	if err != nil {
		return nil, err
	}
	s := &procSampler{pid: pid, every: every, startTick: t, done: make(chan struct{})}
	s.sample()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-s.done:
				return
			case <-tick.C:
				s.sample()
			}
		}
	}()
	return s, nil
}

func (s *procSampler) sample() {
	rss, _, err := readMem(s.pid)
	if err != nil {
		return // the process is gone; stop reports that
	}
	s.mu.Lock()
	s.peak = max(s.peak, rss)
	s.mu.Unlock()
}

// stop ends the window and returns the usage in it.
func (s *procSampler) stop() (procUsage, error) {
	close(s.done)
	s.wg.Wait()
	s.sample()
	t, err := readCPUTicks(s.pid)
	if err != nil {
		return procUsage{}, fmt.Errorf("process %d: %w", s.pid, err)
	}
	_, hwm, err := readMem(s.pid)
	if err != nil {
		return procUsage{}, fmt.Errorf("process %d: %w", s.pid, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return procUsage{CPUSeconds: float64(t-s.startTick) / userHZ, PeakRSS: s.peak, HWM: hwm}, nil
}
