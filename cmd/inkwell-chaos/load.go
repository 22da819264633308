package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
)

// kind is what a request was for.
type kind int

const (
	kPublicRead kind = iota // GET /api/v1/articles/{slug}
	kPublicList             // GET /api/v1/articles
	kCheck                  // the read-after-write check of an acknowledged PATCH
	kAdminRead              // GET /api/v1/admin/articles/{id}: learning the outcome of an unanswered write
	kCreate                 // POST /api/v1/admin/articles with Idempotency-Key
	kPatch                  // PATCH /api/v1/admin/articles/{id} with If-Match
)

func (k kind) isWrite() bool { return k == kCreate || k == kPatch }

// sample is one HTTP exchange through the load balancer.
type sample struct {
	kind       kind
	sent, done time.Time
	status     int    // 0: no answer
	errClass   string // for status 0: "timeout", "conn" (refused, reset, EOF)
	retry      bool   // a client retry of an earlier attempt
	retryAfter bool   // the answer carried Retry-After
	fromLB     bool   // answered by HAProxy itself (no node's X-Request-ID)
}

func (s sample) ok() bool {
	return s.status >= 200 && s.status < 300 || s.status == http.StatusNotModified
}

// label is how a failure is counted: its status, or what happened instead of one.
func (s sample) label() string {
	if s.status == 0 {
		return s.errClass
	}
	if s.fromLB {
		return strconv.Itoa(s.status) + "(lb)"
	}
	return strconv.Itoa(s.status)
}

type article struct {
	id, slug, title string
	version         int64
}

// createRec is one logical create: one Idempotency-Key, however many attempts.
type createRec struct {
	key, title string
	firstSent  time.Time
	id         string // of the acknowledged answer
	ackAt      time.Time
	gaveUp     bool
	rejected   int // an unexpected 4xx
}

// patchAck is a PATCH the client knows committed: answered 2xx, or (after no answer) found applied.
type patchAck struct {
	art       *article
	title     string
	version   int64
	ackAt     time.Time
	confirmed bool // learnt by reading back after the PATCH went unanswered
}

// staleRead is a read, after the bound, older than an acknowledged write.
type staleRead struct {
	ack       patchAck
	seenTitle string
	seenVer   int64
	after     time.Duration // from the acknowledgement to the stale read
}

// faultClock tells the read-after-write checker when a check is due: bound after the write was
// acknowledged and, for a write acknowledged before a fault ended, bound after the fault's end.
type faultClock struct {
	mu      sync.Mutex
	active  bool
	lastEnd time.Time
}

func (f *faultClock) set(active bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.active = active
	if !active {
		f.lastEnd = time.Now()
	}
}

func (f *faultClock) due(ackAt, now time.Time, bound time.Duration) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.active || now.Before(ackAt.Add(bound)) {
		return false
	}
	return !ackAt.Before(f.lastEnd) || !now.Before(f.lastEnd.Add(bound))
}

// load is the steady mixed workload and what it observed.
type load struct {
	base, token    string
	http           *http.Client
	bound          time.Duration
	checkReads     int // public reads per check (one per node: round robin spreads them)
	createDeadline time.Duration
	patchDeadline  time.Duration
	faults         *faultClock

	mu      sync.Mutex
	samples []sample
	creates []*createRec
	acks    []patchAck
	stale   []staleRead
	titles  map[string]map[string]int64 // article id → title → the version it was written at
	checks  []patchAck                  // pending read-after-write checks

	pending sync.WaitGroup // creates and checks in flight
}

func newLoad(base, token string, bound time.Duration, nodes int, faults *faultClock) *load {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     30 * time.Second,
	}
	return &load{
		base: base, token: token, bound: bound, checkReads: nodes, faults: faults,
		http:           &http.Client{Timeout: 10 * time.Second, Transport: tr},
		createDeadline: 75 * time.Second, // a key held by a killed node is freed after 60 s
		patchDeadline:  30 * time.Second,
		titles:         map[string]map[string]int64{},
	}
}

type answer struct {
	sample
	body []byte
}

func (l *load) do(ctx context.Context, k kind, retry bool, method, path string, body any, auth bool, headers ...string) answer {
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	s := sample{kind: k, sent: time.Now(), retry: retry}
	req, err := http.NewRequestWithContext(ctx, method, l.base+path, rd)
	if err != nil {
		panic(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+l.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	var raw []byte
	res, err := l.http.Do(req)
	if err == nil {
		raw, err = io.ReadAll(res.Body)
		res.Body.Close()
		s.status = res.StatusCode
		s.retryAfter = res.Header.Get("Retry-After") != ""
		s.fromLB = res.Header.Get("X-Request-ID") == ""
	}
	if err != nil {
		s.status = 0
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			s.errClass = "timeout"
		} else {
			s.errClass = "conn"
		}
	}
	s.done = time.Now()
	if ctx.Err() == nil { // requests cut by the end of the run are not the server's doing
		l.mu.Lock()
		l.samples = append(l.samples, s)
		l.mu.Unlock()
	}
	return answer{sample: s, body: raw}
}

func decode(a answer) (article, error) {
	var v struct {
		ID, Slug, Title string
		Version         int64
	}
	if err := json.Unmarshal(a.body, &v); err != nil || v.ID == "" {
		return article{}, fmt.Errorf("%d %s: not an article", a.status, a.body)
	}
	return article{id: v.ID, slug: v.Slug, title: v.Title, version: v.Version}, nil
}

// seed creates and publishes the articles the writers patch and the readers read.
func (l *load) seed(ctx context.Context, n int) ([]*article, error) {
	var arts []*article
	for i := range n {
		a := l.do(ctx, kCreate, false, "POST", "/api/v1/admin/articles",
			map[string]any{"title": fmt.Sprintf("chaos seed %d", i), "body_markdown": "Seeded by inkwell-chaos."}, true,
			"Idempotency-Key", uuid.NewString())
		art, err := decode(a)
		if err != nil || a.status != http.StatusCreated {
			return nil, fmt.Errorf("seed: create: %w", err)
		}
		p := l.do(ctx, kPatch, false, "POST", "/api/v1/admin/articles/"+art.id+"/publish", nil, true, "If-Match", `"1"`)
		if art, err = decode(p); err != nil || p.status != http.StatusOK {
			return nil, fmt.Errorf("seed: publish: %w", err)
		}
		l.titles[art.id] = map[string]int64{art.title: art.version}
		arts = append(arts, &art)
	}
	l.mu.Lock()
	l.samples = nil // seeding is not part of the measured load
	l.mu.Unlock()
	return arts, nil
}

// reader is open-loop: a request goes out every interval whether or not the previous ones have
// been answered (up to maxInFlight), so a stalled cluster shows as slow or failed requests, not as
// a load that quietly stopped.
func (l *load) reader(ctx context.Context, arts []*article, every time.Duration, inflight chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		select {
		case inflight <- struct{}{}:
		case <-ctx.Done():
			return
		}
		wg.Go(func() {
			defer func() { <-inflight }()
			if rand.IntN(2) == 0 {
				l.do(ctx, kPublicList, false, "GET", "/api/v1/articles?limit=10", nil, false)
			} else {
				l.do(ctx, kPublicRead, false, "GET", "/api/v1/articles/"+arts[rand.IntN(len(arts))].slug, nil, false)
			}
		})
	}
}

// writer alternates a create (with its retries, in the background) and a PATCH of the next of its
// own articles (no other writer touches them, so a 412 means one of its own attempts won). It is
// open-loop too: an article whose previous PATCH is still unsettled is skipped, not waited for.
func (l *load) writer(ctx context.Context, w int, own []*article, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	busy := make([]sync.Mutex, len(own))
	for seq := 0; ; seq++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if seq%2 == 0 {
			l.pending.Add(1)
			go func() { defer l.pending.Done(); l.create(ctx) }()
			continue
		}
		i := (seq / 2) % len(own)
		if !busy[i].TryLock() {
			continue
		}
		wg.Go(func() {
			defer busy[i].Unlock()
			l.patch(ctx, own[i], fmt.Sprintf("chaos w%d n%d", w, seq))
		})
	}
}

func backoff(attempt int) time.Duration {
	d := 100 * time.Millisecond << min(attempt, 4)
	return min(d, time.Second) + rand.N(50*time.Millisecond)
}

func retryable(s sample) bool {
	return s.status == 0 || s.status >= 500 || s.status == http.StatusConflict || s.status == http.StatusTooManyRequests
}

// create sends one POST with an Idempotency-Key and retries it with the same key until it is
// answered 2xx or the deadline passes; the load's end does not cut it short.
func (l *load) create(ctx context.Context) {
	key := uuid.NewString()
	rec := &createRec{key: key, title: "chaos create " + key, firstSent: time.Now()}
	l.mu.Lock()
	l.creates = append(l.creates, rec)
	l.mu.Unlock()
	deadline := time.Now().Add(l.createDeadline)
	body := map[string]any{"title": rec.title, "body_markdown": "Written by inkwell-chaos."}
	for attempt := 0; ; attempt++ {
		a := l.do(context.WithoutCancel(ctx), kCreate, attempt > 0, "POST", "/api/v1/admin/articles", body, true, "Idempotency-Key", key)
		if a.ok() {
			art, err := decode(a)
			l.mu.Lock()
			rec.id, rec.ackAt = art.id, a.done
			if err != nil {
				rec.rejected = a.status
			}
			l.mu.Unlock()
			return
		}
		if !retryable(a.sample) {
			l.mu.Lock()
			rec.rejected = a.status
			l.mu.Unlock()
			return
		}
		if time.Now().After(deadline) {
			l.mu.Lock()
			rec.gaveUp = true
			l.mu.Unlock()
			return
		}
		time.Sleep(backoff(attempt))
	}
}

func (l *load) setTitle(id, title string, version int64) {
	l.mu.Lock()
	l.titles[id][title] = version
	l.mu.Unlock()
}

// patch renames art with If-Match. An unanswered attempt (or a 5xx) is settled by reading the
// article back: if the new title is there the write committed, otherwise it is sent again against
// the version just read.
func (l *load) patch(ctx context.Context, art *article, title string) {
	deadline := time.Now().Add(l.patchDeadline)
	ifMatch := art.version
	l.setTitle(art.id, title, ifMatch+2)
	for attempt := 0; ; attempt++ {
		a := l.rename(ctx, attempt > 0, art.id, title, ifMatch)
		if a.status == http.StatusOK {
			if got, err := decode(a); err == nil {
				art.version, art.title = got.version, got.title
				l.ack(patchAck{art: art, title: title, version: got.version, ackAt: a.done})
			}
			return
		}
		if ctx.Err() != nil || (!retryable(a.sample) && a.status != http.StatusPreconditionFailed) {
			return
		}
		cur, ok := l.adminRead(ctx, art.id, deadline)
		if !ok {
			return
		}
		art.version, art.title = cur.version, cur.title
		if cur.title == title {
			l.setTitle(art.id, title, cur.version)
			l.ack(patchAck{art: art, title: title, version: cur.version, ackAt: time.Now(), confirmed: true})
			return
		}
		if time.Now().After(deadline) {
			return
		}
		ifMatch = cur.version
		l.setTitle(art.id, title, ifMatch+2)
		time.Sleep(backoff(attempt))
	}
}

// rename is one rename of a live article: the PATCH stages the change, publish-changes makes it
// live (the public read then shows it at once). The answer is publish-changes' (or the PATCH's
// when it failed).
func (l *load) rename(ctx context.Context, retry bool, id, title string, ifMatch int64) answer {
	a := l.do(ctx, kPatch, retry, "PATCH", "/api/v1/admin/articles/"+id, map[string]any{"title": title}, true,
		"If-Match", fmt.Sprintf(`"%d"`, ifMatch))
	if a.status != http.StatusOK {
		return a
	}
	staged, err := decode(a)
	if err != nil {
		return a
	}
	return l.do(ctx, kPatch, retry, "POST", "/api/v1/admin/articles/"+id+"/publish-changes", nil, true,
		"If-Match", fmt.Sprintf(`"%d"`, staged.version))
}

func (l *load) adminRead(ctx context.Context, id string, deadline time.Time) (article, bool) {
	for attempt := 0; ctx.Err() == nil && time.Now().Before(deadline); attempt++ {
		a := l.do(ctx, kAdminRead, attempt > 0, "GET", "/api/v1/admin/articles/"+id, nil, true)
		if a.status == http.StatusOK {
			if art, err := decode(a); err == nil {
				return art, true
			}
		}
		time.Sleep(backoff(attempt))
	}
	return article{}, false
}

func (l *load) ack(p patchAck) {
	l.mu.Lock()
	l.acks = append(l.acks, p)
	l.checks = append(l.checks, p)
	l.mu.Unlock()
}

// checker runs each due read-after-write check until ctx ends and no check is left.
func (l *load) checker(ctx context.Context, drain <-chan struct{}) {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := time.Now()
		l.mu.Lock()
		var due, rest []patchAck
		for _, c := range l.checks {
			if l.faults.due(c.ackAt, now, l.bound) {
				due = append(due, c)
			} else {
				rest = append(rest, c)
			}
		}
		l.checks = rest
		left := len(rest)
		l.mu.Unlock()
		for _, c := range due {
			l.pending.Add(1)
			go func() { defer l.pending.Done(); l.check(ctx, c) }()
		}
		select {
		case <-drain:
			if left == 0 {
				return
			}
		default:
		}
	}
}

// check reads the article publicly, through the load balancer, once per node: each read must show
// the acknowledged write or a later one. A read that is not answered 200 is tried again.
func (l *load) check(ctx context.Context, c patchAck) {
	for range l.checkReads {
		for attempt := 0; ; attempt++ {
			if ctx.Err() != nil {
				return
			}
			a := l.do(ctx, kCheck, attempt > 0, "GET", "/api/v1/articles/"+c.art.slug, nil, false)
			if a.status != http.StatusOK {
				time.Sleep(backoff(attempt))
				continue
			}
			var v struct{ Title string }
			_ = json.Unmarshal(a.body, &v)
			l.mu.Lock()
			ver, known := l.titles[c.art.id][v.Title]
			if !known || ver < c.version {
				l.stale = append(l.stale, staleRead{ack: c, seenTitle: v.Title, seenVer: ver, after: a.done.Sub(c.ackAt)})
				l.mu.Unlock()
				return // one stale read per acknowledged write is enough to count it
			}
			l.mu.Unlock()
			break
		}
	}
}
