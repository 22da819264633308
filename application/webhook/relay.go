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
	PollInterval        time.Duration                     // how often to look for work (default 1s)
	Workers             int                               // concurrent batches (default 1)
	RetrySchedule       []time.Duration                   // delays after each failed attempt
	Jitter              func(time.Duration) time.Duration // spreads retries; nil = none
	Lease               time.Duration                     // how long a claimed delivery is ours (default 1m); longer than a send
	BatchSize           int                               // outbox events per fan-out transaction and deliveries per claim (default 100)
	EndpointParallelism int                               // sends in flight per endpoint and batch (default 8)
	SendTimeout         time.Duration                     // the sender's bound on one attempt; a send that could outlast the lease is not started
	Retention           time.Duration                     // purge finished deliveries and dispatched outbox rows older than this; 0 keeps them
	PurgeInterval       time.Duration                     // how often to purge (default 10m)
	Backoff             worker.Backoff                    // waits while the database is unavailable (zero: the default)
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
	lastPurge  time.Time // only Run's goroutine touches it
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
	if cfg.EndpointParallelism < 1 {
		cfg.EndpointParallelism = 8
	}
	if cfg.PurgeInterval <= 0 {
		cfg.PurgeInterval = 10 * time.Minute
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
	if err := r.purge(ctx); err != nil && ctx.Err() == nil && !r.pace.Unavailable(err) {
		r.log.Error("purge old webhook records", zap.Error(err))
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

// purgeBatch bounds the rows one purge transaction deletes, so it holds its locks briefly.
const purgeBatch = 1000

// purge deletes, once per PurgeInterval, finished deliveries and dispatched (and cache-applied)
// outbox events older than the retention, a batch per transaction until none are left.
func (r *Relay) purge(ctx context.Context) error {
	now := r.clock.Now()
	if r.cfg.Retention <= 0 || now.Sub(r.lastPurge) < r.cfg.PurgeInterval {
		return nil
	}
	before := now.Add(-r.cfg.Retention)
	for _, purge := range []func(context.Context, time.Time, int) (int, error){r.queue.PurgeFinished, r.events.PurgeDispatched} {
		for ctx.Err() == nil {
			var n int
			err := r.tx.Do(ctx, func(ctx context.Context) error {
				var err error
				n, err = purge(ctx, before, purgeBatch)
				return err
			})
			if err != nil {
				return err
			}
			if n < purgeBatch {
				break
			}
		}
	}
	r.lastPurge = now
	return nil
}

// maxBatchesPerTick bounds the batches a worker delivers per tick, so a steady stream of due
// retries cannot hold off the fan-out of new events.
const maxBatchesPerTick = 10

// deliverDue runs the workers until no delivery is due; each claims a batch at a time.
func (r *Relay) deliverDue(ctx context.Context) {
	var wg sync.WaitGroup
	for range r.cfg.Workers {
		wg.Go(func() {
			for range maxBatchesPerTick {
				more, err := r.deliverBatch(ctx)
				if err != nil && ctx.Err() == nil && !r.pace.Unavailable(err) {
					r.log.Error("deliver webhooks", zap.Error(err))
				}
				if err != nil || !more {
					return
				}
			}
		})
	}
	wg.Wait()
}

// sent is one delivery of a batch and what its attempt did.
type sent struct {
	d       *webhook.Delivery
	attempt webhook.Attempt
	done    bool // an attempt to record; false when the send was not made or was cut off by shutdown
}

// deliverBatch claims up to BatchSize due deliveries in one transaction, sends them with at most
// EndpointParallelism requests in flight per endpoint, and records the attempts together; it reports
// whether a full batch was claimed (more may be due). A slow receiver holds up its batch until its
// sends end, which the lease covers: a send is started only if it ends within the lease.
func (r *Relay) deliverBatch(ctx context.Context) (bool, error) {
	var claimed []*webhook.Delivery
	now := r.clock.Now()
	leaseUntil := now.Add(r.cfg.Lease)
	err := r.tx.Do(ctx, func(ctx context.Context) error {
		var err error
		claimed, err = r.queue.ClaimDue(ctx, now, leaseUntil, r.cfg.BatchSize)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("claim due deliveries: %w", err)
	}
	if len(claimed) == 0 {
		return false, nil
	}
	versions := make(map[string]shared.Version, len(claimed))
	for _, d := range claimed {
		versions[d.ID()] = d.Version()
	}
	results, endpointErr := r.send(ctx, claimed, leaseUntil)
	// Finished attempts are recorded even while shutting down, so a delivered event is not sent again.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	err = r.record(rctx, results, versions)
	return len(claimed) == r.cfg.BatchSize && ctx.Err() == nil, errors.Join(endpointErr, err)
}

// send makes the attempts of a batch, grouped by endpoint. An endpoint deleted since the claim took
// its deliveries with it; one that cannot be read leaves its deliveries to the lease's expiry.
func (r *Relay) send(ctx context.Context, claimed []*webhook.Delivery, leaseUntil time.Time) ([]sent, error) {
	results := make([]sent, len(claimed))
	byEndpoint := map[string][]int{}
	for i, d := range claimed {
		results[i].d = d
		byEndpoint[d.EndpointID()] = append(byEndpoint[d.EndpointID()], i)
	}
	var errs []error
	var wg sync.WaitGroup
	for epID, idx := range byEndpoint {
		ep, err := r.endpoints.Get(ctx, epID)
		if errors.Is(err, webhook.ErrEndpointNotFound) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("endpoint %s of %d deliveries: %w", epID, len(idx), err))
			continue
		}
		slots := make(chan struct{}, r.cfg.EndpointParallelism)
		for _, i := range idx {
			wg.Go(func() {
				slots <- struct{}{}
				defer func() { <-slots }()
				if ctx.Err() != nil || r.clock.Now().Add(r.cfg.SendTimeout+recordTimeout).After(leaseUntil) {
					return // no time left in the lease: it expires and the delivery is claimed again
				}
				d := results[i].d
				a := r.sender.Send(ctx, Message{EventID: d.EventID(), URL: ep.URL(), Secret: ep.Secret(), Payload: d.Payload()})
				// Cut off by shutdown is not the receiver's fault: the lease expires and it is retried.
				results[i].attempt, results[i].done = a, ctx.Err() == nil || a.Succeeded()
			})
		}
	}
	wg.Wait()
	return results, errors.Join(errs...)
}

// recordTimeout bounds recording a batch's attempts after shutdown began.
const recordTimeout = 5 * time.Second

// record applies the attempts to their deliveries and saves them in one transaction.
func (r *Relay) record(ctx context.Context, results []sent, versions map[string]shared.Version) error {
	var batch []Recorded
	var attempts []webhook.Attempt
	var errs []error
	for _, s := range results {
		if !s.done {
			continue
		}
		var err error
		if s.attempt.Succeeded() {
			err = s.d.RecordSuccess(s.attempt)
		} else {
			err = s.d.RecordFailure(s.attempt, r.cfg.RetrySchedule, r.cfg.Jitter)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("delivery %s: %w", s.d.ID(), err))
			continue
		}
		r.metrics.AttemptMade(s.attempt.Succeeded(), s.attempt.Duration)
		batch = append(batch, Recorded{Delivery: s.d, Expected: versions[s.d.ID()]})
		attempts = append(attempts, s.attempt)
	}
	if len(batch) == 0 {
		return errors.Join(errs...)
	}
	var out SaveOutcome
	err := r.tx.Do(ctx, func(ctx context.Context) error {
		var err error
		out, err = r.queue.SaveAttempts(ctx, batch)
		return err
	})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("record %d attempts: %w", len(batch), err))...)
	}
	for i, rec := range batch {
		d := rec.Delivery
		switch {
		case out.Stale[d.ID()]:
			r.log.Warn("webhook attempt not recorded: the delivery's lease ran out and another worker took it",
				zap.String("delivery_id", d.ID()), zap.Duration("lease", r.cfg.Lease))
		case out.Gone[d.ID()]:
			// its endpoint was deleted meanwhile
		default:
			r.logAttempt(d, attempts[i])
			if d.Final() {
				r.metrics.DeliveryFinished(d.Status())
			}
		}
	}
	return errors.Join(errs...)
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
