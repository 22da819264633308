package main

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Fault names, as given to -faults and printed in the table.
const (
	faultNodeKill    = "node-kill"
	faultRedisFreeze = "redis-freeze"
	faultPGRestart   = "pg-restart"
	phaseBaseline    = "baseline"
)

// phase is a window of the run: the baseline before the first fault, then one per fault, from its
// injection to the next one's (the fault itself and the recovery time after it).
type phase struct {
	name       string
	start, end time.Time
	faultEnd   time.Time  // the node is ready again, Redis is thawed, pg_ctl restart returned
	lb         lbCounters // HAProxy's counters over the phase
}

func (p phase) contains(t time.Time) bool { return !t.Before(p.start) && t.Before(p.end) }

// verdict is what the final read-back found.
type verdict struct {
	lostCreates []*createRec // acknowledged, not in the database
	lostPatches []patchAck   // acknowledged, no revision with that title, or the article is older
	duplicates  map[string]int
}

// row is one line of the table.
type row struct {
	name                             string
	reads, readsFailed               int
	writes, writesFailed             int
	failedBy                         map[string]int // status (or conn/timeout) → count, all kinds
	readFailedBy                     map[string]int
	fiveXX, non503FiveXX, noRetryAft int
	retried                          int
	lb                               lbCounters
	lost, dup, stale                 int
	unanswered                       int // writes settled by reading back
	firstOK                          time.Duration
	lastFail                         time.Duration
	hasFault, hasFail, hasOK         bool
	p99Read, maxRead, maxWrite       time.Duration
}

func summarize(phases []phase, samples []sample, creates []*createRec, acks []patchAck, stale []staleRead, v verdict) []row {
	rows := make([]row, len(phases))
	at := func(t time.Time) int {
		for i, p := range phases {
			if p.contains(t) {
				return i
			}
		}
		return -1
	}
	readLat := make([][]time.Duration, len(phases))
	for i, p := range phases {
		rows[i] = row{name: p.name, failedBy: map[string]int{}, readFailedBy: map[string]int{}, lb: p.lb, hasFault: !p.faultEnd.IsZero()}
	}
	for _, s := range samples {
		i := at(s.done) // a request sent just before a fault and cut by it belongs to the fault
		if i < 0 {
			continue
		}
		r := &rows[i]
		lat := s.done.Sub(s.sent)
		if s.kind.isWrite() {
			r.writes++
			r.maxWrite = max(r.maxWrite, lat)
		} else {
			r.reads++
			r.maxRead = max(r.maxRead, lat)
			readLat[i] = append(readLat[i], lat)
		}
		if s.retry {
			r.retried++
		}
		if s.status >= 500 {
			r.fiveXX++
			if s.status != 503 {
				r.non503FiveXX++
			} else if !s.retryAfter {
				r.noRetryAft++
			}
		}
		fe := phases[i].faultEnd
		if s.ok() {
			if r.hasFault && !s.sent.Before(fe) && (!r.hasOK || s.done.Sub(fe) < r.firstOK) {
				r.firstOK, r.hasOK = s.done.Sub(fe), true
			}
			continue
		}
		r.failedBy[s.label()]++
		if s.kind.isWrite() {
			r.writesFailed++
		} else {
			r.readsFailed++
			r.readFailedBy[s.label()]++
		}
		// 409 idempotency_request_in_flight is a key's lease (60 s) held by a request its node never
		// finished: counted above, but not a sign the cluster has not recovered.
		if r.hasFault && s.status != http.StatusConflict && (!r.hasFail || s.done.Sub(fe) > r.lastFail) {
			r.lastFail, r.hasFail = s.done.Sub(fe), true
		}
	}
	for i := range rows {
		if l := readLat[i]; len(l) > 0 {
			slices.Sort(l)
			rows[i].p99Read = l[min(len(l)-1, len(l)*99/100)]
		}
	}
	for _, c := range v.lostCreates {
		if i := at(c.ackAt); i >= 0 {
			rows[i].lost++
		}
	}
	for _, p := range v.lostPatches {
		if i := at(p.ackAt); i >= 0 {
			rows[i].lost++
		}
	}
	byTitle := map[string]*createRec{}
	for _, c := range creates {
		byTitle[c.title] = c
	}
	for title, n := range v.duplicates {
		if c, ok := byTitle[title]; ok {
			if i := at(c.firstSent); i >= 0 {
				rows[i].dup += n - 1
			}
		}
	}
	for _, s := range stale {
		if i := at(s.ack.ackAt); i >= 0 {
			rows[i].stale++
		}
	}
	for _, a := range acks {
		if i := at(a.ackAt); i >= 0 && a.confirmed {
			rows[i].unanswered++
		}
	}
	return rows
}

// missed lists the targets of issue 12 that the run did not meet.
func missed(rows []row) []string {
	var out []string
	for _, r := range rows {
		if r.lost > 0 {
			out = append(out, fmt.Sprintf("%s: %d acknowledged writes lost (target 0)", r.name, r.lost))
		}
		if r.dup > 0 {
			out = append(out, fmt.Sprintf("%s: %d duplicated writes (same Idempotency-Key, more than one article; target 0)", r.name, r.dup))
		}
		if r.stale > 0 {
			out = append(out, fmt.Sprintf("%s: %d stale reads after the recovery bound (target 0)", r.name, r.stale))
		}
		switch r.name {
		case faultNodeKill:
			if r.readsFailed > 0 {
				out = append(out, fmt.Sprintf("%s: %d failed reads through the load balancer (%s; target 0)", r.name, r.readsFailed, byStatus(r.readFailedBy)))
			}
		case faultPGRestart:
			if r.non503FiveXX > 0 {
				out = append(out, fmt.Sprintf("%s: %d answers 5xx other than 503 (%s; target: only 503)", r.name, r.non503FiveXX, byStatus(only5xx(r.failedBy))))
			}
			if r.noRetryAft > 0 {
				out = append(out, fmt.Sprintf("%s: %d answers 503 without Retry-After (target: every 503 has it)", r.name, r.noRetryAft))
			}
		case faultRedisFreeze:
			if n := r.fiveXX + r.failedBy["timeout"]; n > 0 {
				out = append(out, fmt.Sprintf("%s: %d requests answered 5xx or not within 10 s (%s; target: a frozen cache costs speed, never a 5xx or a hung request)",
					r.name, n, byStatus(only5xxOrTimeout(r.failedBy))))
			}
		}
	}
	return out
}

func only5xxOrTimeout(m map[string]int) map[string]int {
	out := only5xx(m)
	if m["timeout"] > 0 {
		out["timeout"] = m["timeout"]
	}
	return out
}

func only5xx(m map[string]int) map[string]int {
	out := map[string]int{}
	for k, n := range m {
		if strings.HasPrefix(k, "5") {
			out[k] = n
		}
	}
	return out
}

func byStatus(m map[string]int) string {
	if len(m) == 0 {
		return "-"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s×%d", k, m[k])
	}
	return strings.Join(parts, " ")
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }

func printTable(w io.Writer, rows []row) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "fault\tsent\treads failed\twrites failed\tfailed by status\tretried (client/lb)\tlost\tdup\tstale\trecover\tlast failure\tread p99/max\tmax write")
	for _, r := range rows {
		recover, last := "-", "-"
		if r.hasFault && r.hasOK {
			recover = secs(r.firstOK)
		}
		if r.hasFault && r.hasFail {
			last = fmt.Sprintf("%+.2fs", r.lastFail.Seconds())
		}
		fmt.Fprintf(tw, "%s\t%d\t%d/%d\t%d/%d\t%s\t%d/%d\t%d\t%d\t%d\t%s\t%s\t%s/%s\t%s\n",
			r.name, r.reads+r.writes, r.readsFailed, r.reads, r.writesFailed, r.writes, byStatus(r.failedBy),
			r.retried, r.lb.Retries+r.lb.Redispatches, r.lost, r.dup, r.stale, recover, last, secs(r.p99Read), secs(r.maxRead), secs(r.maxWrite))
	}
	_ = tw.Flush()
}

const legend = `  sent: requests answered (or failed) in the phase (fault start to next fault); reads are public reads, lists,
        read-after-write checks and admin read-backs; writes are creates (Idempotency-Key) and PATCHes (If-Match)
  failed by status: every answer not 2xx/304, all kinds; conn = refused/reset/closed, timeout = no answer in 10 s
  retried: client retries (same Idempotency-Key, or a PATCH re-sent after reading back) / HAProxy retries+redispatches
  lost: acknowledged writes not in the database at the end; dup: extra articles for one Idempotency-Key
  stale: acknowledged PATCHes whose public read through the LB, bound after the ack (or after the fault's end), was older
  recover: first success, of a request sent after the fault ended, measured from the fault's end
  last failure: the last failed answer of the phase (409 in-flight key leases aside), relative to the fault's end
        (negative: during the fault)`
