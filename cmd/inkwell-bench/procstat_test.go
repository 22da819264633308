package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestCPUTicks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		stat string
		want uint64
	}{
		{"plain", "4242 (inkwell) S 1 4242 4242 0 -1 4194560 1234 0 0 0 150 37 0 0 20 0 9 0 123456 1000000 2000 18446744073709551615", 187},
		{"name with spaces and parens", "77 (my (odd) name) R 1 77 77 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 1 1 1", 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := cpuTicks(tt.stat)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("cpuTicks = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestCPUTicksRejectsGarbage(t *testing.T) {
	t.Parallel()
	for _, stat := range []string{"", "12 no-parens S 1", "12 (x) S 1 2 3", "12 (x) S 1 2 3 4 5 6 7 8 9 10 ten 12 13"} {
		if _, err := cpuTicks(stat); err == nil {
			t.Errorf("cpuTicks(%q) = nil error", stat)
		}
	}
}

func TestMemStatus(t *testing.T) {
	t.Parallel()
	status := "Name:\tinkwell\nVmPeak:\t 1300000 kB\nVmHWM:\t   65432 kB\nVmRSS:\t   51200 kB\nThreads:\t9\n"
	rss, hwm, err := memStatus(strings.NewReader(status))
	if err != nil {
		t.Fatal(err)
	}
	if rss != 51200*1024 || hwm != 65432*1024 {
		t.Errorf("memStatus = %d, %d; want %d, %d", rss, hwm, 51200*1024, 65432*1024)
	}
	if _, _, err := memStatus(strings.NewReader("Name:\tkthreadd\nThreads:\t1\n")); err == nil {
		t.Error("memStatus without Vm lines: nil error")
	}
	if _, _, err := memStatus(strings.NewReader("VmRSS:\t12 MB\n")); err == nil {
		t.Error("memStatus with an unexpected unit: nil error")
	}
}

// TestSamplerOnItself reads this test process's own /proc files.
func TestSamplerOnItself(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	s, err := startSampling(os.Getpid(), 5*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([][]byte, 0, 64)
	for deadline := time.Now().Add(50 * time.Millisecond); time.Now().Before(deadline); {
		buf = append(buf, make([]byte, 1<<16)) // some CPU and memory to see
	}
	u, err := s.stop()
	if err != nil {
		t.Fatal(err)
	}
	if u.PeakRSS == 0 || u.HWM < u.PeakRSS/2 || u.CPUSeconds < 0 {
		t.Errorf("usage = %+v (kept %d buffers)", u, len(buf))
	}
}
