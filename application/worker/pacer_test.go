package worker

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

type countingMetrics struct {
	backoffs int
	on       []bool
}

func (m *countingMetrics) BackedOff(string)             { m.backoffs++ }
func (m *countingMetrics) BackingOff(_ string, on bool) { m.on = append(m.on, on) }

func TestPacerBacksOffExponentiallyAndLogsOncePerStateChange(t *testing.T) {
	t.Parallel()
	core, logs := observer.New(zap.InfoLevel)
	m := &countingMetrics{}
	p := Backoff{Min: time.Second, Max: 5 * time.Second, Metrics: m}.Pacer("relay", 200*time.Millisecond, zap.New(core))
	down := fmt.Errorf("claim: %w", shared.ErrDatabaseUnavailable.WithCause(errors.New("connection refused")))

	if d := p.next(); d != 200*time.Millisecond {
		t.Fatalf("healthy wait %s, want the interval", d)
	}
	if p.Unavailable(errors.New("disk on fire")) || p.Unavailable(nil) {
		t.Fatal("an error other than unavailability was taken for one")
	}
	var waits []time.Duration
	for range 6 {
		if !p.Unavailable(down) {
			t.Fatal("unavailability not recognised")
		}
		p.Unavailable(down) // several failures in one round count once
		waits = append(waits, p.next())
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second, 5 * time.Second}
	if fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Fatalf("back-offs %v, want %v", waits, want)
	}
	if d := p.next(); d != 200*time.Millisecond {
		t.Fatalf("wait after recovery %s, want the interval", d)
	}
	p.Unavailable(down)
	if d := p.next(); d != time.Second {
		t.Fatalf("a new outage starts at %s, want Min again", d)
	}

	if n := logs.FilterMessageSnippet("backs off").Len(); n != 2 {
		t.Errorf("%d outage lines, want one per outage (2): %v", n, logs.All())
	}
	if n := logs.FilterMessageSnippet("resumes").Len(); n != 1 {
		t.Errorf("%d recovery lines, want 1", n)
	}
	if m.backoffs != 7 || fmt.Sprint(m.on) != "[true false true]" {
		t.Errorf("metrics: %d back-offs, states %v", m.backoffs, m.on)
	}
}

func TestPacerWaitStopsWithItsContext(t *testing.T) {
	t.Parallel()
	p := DefaultBackoff.Pacer("purger", time.Hour, zap.NewNop())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if p.Wait(ctx) {
		t.Fatal("Wait went on after its context ended")
	}
}
