package webhook

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/worker"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// RelayConfig tunes the relay; zero values take the defaults below.
type RelayConfig struct {
	PollInterval  time.Duration                     // how often to look for work (default 1s)
	Workers       int                               // concurrent deliveries (default 1)
	RetrySchedule []time.Duration                   // delays after each failed attempt
	Jitter        func(time.Duration) time.Duration // spreads retries; nil = none
	Lease         time.Duration                     // how long a claimed delivery is ours (default 1m); longer than a send
	BatchSize     int                               // outbox events per fan-out transaction (default 100)
	Backoff       worker.Backoff                    // waits while the database is unavailable (zero: the default)
}

// Relay turns committed outbox events into deliveries and delivers them, at least once: it runs in
// every node, and the database hands each event and each due delivery to one worker at a time.
type Relay struct {
	cfg        RelayConfig
	tx         application.TxManager
	events     EventSource
	endpoints  webhook.EndpointRepository
	deliveries webhook.DeliveryRepository
	queue      DeliveryQueue
	sender     Sender
	clock      application.Clock
	ids        application.IDGenerator
	metrics    Metrics
	log        *zap.Logger
	pace       *worker.Pacer
}

// NewRelay returns a relay; Run starts it.
func NewRelay(cfg RelayConfig, tx application.TxManager, events EventSource, endpoints webhook.EndpointRepository,
	deliveries webhook.DeliveryRepository, queue DeliveryQueue, sender Sender, clock application.Clock,
	ids application.IDGenerator, metrics Metrics, log *zap.Logger) *Relay {
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.Workers < 1 {
		cfg.Workers = 1
	}
	if cfg.Lease <= 0 {
		cfg.Lease = time.Minute
	}
	if cfg.BatchSize < 1 {
		cfg.BatchSize = 100
	}
	r := &Relay{
		cfg: cfg, tx: tx, events: events, endpoints: endpoints, deliveries: deliveries, queue: queue,
		sender: sender, clock: clock, ids: ids, metrics: metrics, log: log.Named("webhook_relay"),
	}
	r.pace = cfg.Backoff.Pacer("webhook-relay", cfg.PollInterval, r.log)
	return r
}

// Run works until ctx is done, then returns nil. Failures are logged here, the worker's boundary,
// and the next poll tries again; while the database is unavailable the polls back off.
func (r *Relay) Run(ctx context.Context) error {
	for {
		r.tick(ctx)
		if !r.pace.Wait(ctx) {
			return nil
		}
	}
}

func (r *Relay) tick(ctx context.Context) {
	if err := r.fanOutAll(ctx); err != nil && ctx.Err() == nil {
		if r.pace.Unavailable(err) {
			return // nothing else can work either; the pacer logs the outage once
		}
		r.log.Error("fan out outbox events", zap.Error(err))
	}
	r.deliverDue(ctx)
	if ctx.Err() != nil {
		return
	}
	st, err := r.queue.Stats(ctx)
	if err != nil {
		if ctx.Err() == nil && !r.pace.Unavailable(err) {
			r.log.Error("read delivery queue stats", zap.Error(err))
		}
		return
	}
	r.metrics.QueueObserved(st, r.clock.Now())
}

// fanOutAll fans out batches of events until the outbox is drained.
func (r *Relay) fanOutAll(ctx context.Context) error {
	for ctx.Err() == nil {
		n, err := r.fanOut(ctx)
		if err != nil || n < r.cfg.BatchSize {
			return err
		}
	}
	return nil
}

// fanOut creates one pending delivery per event and accepting endpoint and marks the events
// dispatched, in one transaction: a crash leaves either both or neither.
func (r *Relay) fanOut(ctx context.Context) (int, error) {
	var n int
	err := r.tx.Do(ctx, func(ctx context.Context) error {
		evs, err := r.events.ClaimUndispatched(ctx, r.cfg.BatchSize)
		if err != nil || len(evs) == 0 {
			return err
		}
		eps, err := r.endpoints.List(ctx)
		if err != nil {
			return err
		}
		now := r.clock.Now()
		var ds []*webhook.Delivery
		ids := make([]string, len(evs))
		for i, ev := range evs {
			ids[i] = ev.ID
			for _, ep := range eps {
				if !ep.Accepts(ev.Type) {
					continue
				}
				d, err := webhook.NewDelivery(r.ids.NewID(), ep.ID(), ev.ID, ev.Type, ev.Payload, now)
				if err != nil {
					return fmt.Errorf("event %s: %w", ev.ID, err)
				}
				ds = append(ds, d)
			}
		}
		if err := r.deliveries.Add(ctx, ds...); err != nil {
			return err
		}
		n = len(evs)
		return r.events.MarkDispatched(ctx, ids, now)
	})
	if err != nil {
		return 0, fmt.Errorf("fan out: %w", err)
	}
	return n, nil
}

// deliverDue runs the workers until no delivery is due; each claims one delivery at a time, so a
// slow receiver holds up only its own worker. A worker handles at most BatchSize deliveries per
// tick, so a steady stream of due retries cannot hold off the fan-out of new events.
func (r *Relay) deliverDue(ctx context.Context) {
	var wg sync.WaitGroup
	for range r.cfg.Workers {
		wg.Go(func() {
			for range r.cfg.BatchSize {
				more, err := r.deliverOne(ctx)
				if err != nil && ctx.Err() == nil && !r.pace.Unavailable(err) {
					r.log.Error("deliver webhook", zap.Error(err))
				}
				if err != nil || !more {
					return
				}
			}
		})
	}
	wg.Wait()
}

// deliverOne claims a due delivery, sends it and records the attempt; it reports whether there was
// one.
func (r *Relay) deliverOne(ctx context.Context) (bool, error) {
	var claimed []*webhook.Delivery
	now := r.clock.Now()
	err := r.tx.Do(ctx, func(ctx context.Context) error {
		var err error
		claimed, err = r.queue.ClaimDue(ctx, now, now.Add(r.cfg.Lease), 1)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("claim due delivery: %w", err)
	}
	if len(claimed) == 0 {
		return false, nil
	}
	d := claimed[0]
	ep, err := r.endpoints.Get(ctx, d.EndpointID())
	if errors.Is(err, webhook.ErrEndpointNotFound) {
		return true, nil // deleted since the claim; its deliveries went with it
	}
	if err != nil {
		return true, fmt.Errorf("delivery %s: %w", d.ID(), err) // the lease expires and it is retried
	}
	a := r.sender.Send(ctx, Message{EventID: d.EventID(), URL: ep.URL(), Secret: ep.Secret(), Payload: d.Payload()})
	if ctx.Err() != nil && !a.Succeeded() {
		return false, nil // cut off by shutdown, not the receiver's fault: the lease expires and it is retried
	}
	// A finished attempt is recorded even while shutting down, so a delivered event is not sent again.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	return ctx.Err() == nil, r.record(rctx, d, a)
}

// recordTimeout bounds recording an attempt after shutdown began.
const recordTimeout = 5 * time.Second

func (r *Relay) record(ctx context.Context, d *webhook.Delivery, a webhook.Attempt) error {
	before := d.Version()
	var err error
	if a.Succeeded() {
		err = d.RecordSuccess(a)
	} else {
		err = d.RecordFailure(a, r.cfg.RetrySchedule, r.cfg.Jitter)
	}
	if err != nil {
		return fmt.Errorf("delivery %s: %w", d.ID(), err)
	}
	r.metrics.AttemptMade(a.Succeeded(), a.Duration)
	err = r.tx.Do(ctx, func(ctx context.Context) error { return r.deliveries.Save(ctx, d, before) })
	switch {
	case errors.Is(err, shared.ErrVersionConflict):
		r.log.Warn("webhook attempt not recorded: the delivery's lease ran out and another worker took it",
			zap.String("delivery_id", d.ID()), zap.Duration("lease", r.cfg.Lease))
		return nil
	case errors.Is(err, webhook.ErrDeliveryNotFound):
		return nil // its endpoint was deleted meanwhile
	case err != nil:
		return fmt.Errorf("record attempt of delivery %s: %w", d.ID(), err)
	}
	r.logAttempt(d, a)
	if d.Final() {
		r.metrics.DeliveryFinished(d.Status())
	}
	return nil
}

// logAttempt writes one line per failed attempt: warn while retries remain, error for the last.
func (r *Relay) logAttempt(d *webhook.Delivery, a webhook.Attempt) {
	if a.Succeeded() {
		return
	}
	fields := []zap.Field{
		zap.String("delivery_id", d.ID()), zap.String("endpoint_id", d.EndpointID()),
		zap.String("event_id", d.EventID()), zap.String("event_type", d.EventType()),
		zap.Int("attempt", d.AttemptCount()), zap.Int("status_code", a.StatusCode),
		zap.String("error", a.Error), zap.Duration("duration", a.Duration),
	}
	if d.Status() == webhook.StatusFailed {
		r.log.Error("webhook delivery failed: no retry left", fields...)
		return
	}
	r.log.Warn("webhook attempt failed; will retry", append(fields, zap.Time("next_attempt_at", d.NextAttemptAt()))...)
}
