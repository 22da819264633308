package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestRenderHAProxyKeepsTheShippedConfigButAddresses(t *testing.T) {
	shipped, err := os.ReadFile("../../deploy/haproxy.cfg")
	if err != nil {
		t.Fatal(err)
	}
	got, err := renderHAProxy(string(shipped), "127.0.0.1:9000", []string{"127.0.0.1:9001", "127.0.0.1:9002"}, "/tmp/x.sock")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"bind 127.0.0.1:9000", "server node1 127.0.0.1:9001 check", "server node2 127.0.0.1:9002 check",
		"stats socket /tmp/x.sock", "retry-on conn-failure empty-response response-timeout", "option redispatch", "/readyz"} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered config lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "8083") || strings.Count(got, "\n    server ") != 2 {
		t.Errorf("the shipped server lines must be replaced by one per node:\n%s", got)
	}
	if _, err := renderHAProxy("defaults\n  mode http\n", "a", nil, "s"); err == nil {
		t.Error("a config without bind/server/global must be refused")
	}
}

func TestParseStats(t *testing.T) {
	raw := "# pxname,svname,qcur,wretr,wredis,status\napi,FRONTEND,0,,,OPEN\ninkwell,node1,0,2,1,UP\ninkwell,BACKEND,0,7,3,UP\n"
	got, err := parseStats(raw)
	if err != nil || got != (lbCounters{Retries: 7, Redispatches: 3}) {
		t.Fatalf("parseStats = %+v, %v", got, err)
	}
}

func TestCheckIsDueBoundAfterTheAckOrAfterTheFault(t *testing.T) {
	bound := 2 * time.Second
	t0 := time.Now()
	var f faultClock
	if f.due(t0, t0.Add(time.Second), bound) || !f.due(t0, t0.Add(bound), bound) {
		t.Error("no fault: due exactly bound after the ack")
	}
	f.active = true
	if f.due(t0, t0.Add(time.Minute), bound) {
		t.Error("no check while a fault is on")
	}
	f.active, f.lastEnd = false, t0.Add(10*time.Second)
	if f.due(t0, t0.Add(11*time.Second), bound) || !f.due(t0, t0.Add(12*time.Second), bound) {
		t.Error("a write acknowledged before the fault ended is due bound after its end")
	}
	if !f.due(t0.Add(20*time.Second), t0.Add(22*time.Second), bound) {
		t.Error("a write acknowledged after the fault is due bound after its ack")
	}
}

func TestSummarizeAttributesAndMissedNamesEachTarget(t *testing.T) {
	t0 := time.Now()
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	phases := []phase{
		{name: phaseBaseline, start: at(0), end: at(10)},
		{name: faultNodeKill, start: at(10), end: at(20), faultEnd: at(12)},
		{name: faultRedisFreeze, start: at(20), end: at(30), faultEnd: at(25)},
		{name: faultPGRestart, start: at(30), end: at(40), faultEnd: at(32)},
	}
	samples := []sample{
		{kind: kPublicRead, sent: at(1), done: at(1.1), status: 200},
		{kind: kPatch, sent: at(9.99), done: at(10.1), status: 0, errClass: "conn"}, // cut by the kill: the kill's
		{kind: kPublicRead, sent: at(11), done: at(11.2), status: 502, fromLB: true},
		{kind: kPublicRead, sent: at(12.5), done: at(12.6), status: 200},
		{kind: kPublicList, sent: at(22), done: at(26), status: 200},
		{kind: kPublicRead, sent: at(19), done: at(29.5), status: 0, errClass: "timeout"},
		{kind: kCreate, sent: at(31), done: at(31.1), status: 500},
		{kind: kCreate, sent: at(31.2), done: at(31.3), status: 503, retry: true},
		{kind: kCreate, sent: at(31.4), done: at(31.5), status: 503, retry: true, retryAfter: true},
		{kind: kCreate, sent: at(33), done: at(33.1), status: 201, retry: true},
	}
	art := &article{id: "a1"}
	creates := []*createRec{{key: "k", title: "chaos create k", firstSent: at(21)}}
	acks := []patchAck{{art: art, title: "t", version: 3, ackAt: at(24)}}
	stale := []staleRead{{ack: acks[0]}}
	v := verdict{lostPatches: acks, duplicates: map[string]int{"chaos create k": 2}}
	rows := summarize(phases, samples, creates, acks, stale, v)
	if rows[0].writesFailed != 0 || rows[1].writesFailed != 1 {
		t.Errorf("a request is counted where it ended: baseline %+v, node-kill %+v", rows[0], rows[1])
	}
	kill, freeze, pg := rows[1], rows[2], rows[3]
	if kill.readsFailed != 1 || kill.failedBy["502(lb)"] != 1 || kill.firstOK != 600*time.Millisecond {
		t.Errorf("node-kill row: %+v", kill)
	}
	if freeze.lost != 1 || freeze.dup != 1 || freeze.stale != 1 || freeze.maxRead != 10500*time.Millisecond {
		t.Errorf("redis-freeze row: %+v", freeze)
	}
	if pg.non503FiveXX != 1 || pg.noRetryAft != 1 || pg.retried != 3 || pg.firstOK != 1100*time.Millisecond {
		t.Errorf("pg-restart row: %+v", pg)
	}
	miss := strings.Join(missed(rows), "\n")
	for _, want := range []string{"node-kill: 1 failed reads", "redis-freeze: 1 acknowledged writes lost",
		"redis-freeze: 1 duplicated", "redis-freeze: 1 stale reads", "redis-freeze: 1 requests answered 5xx or not within 10 s", "pg-restart: 1 answers 5xx other than 503",
		"pg-restart: 1 answers 503 without Retry-After"} {
		if !strings.Contains(miss, want) {
			t.Errorf("missed() does not say %q:\n%s", want, miss)
		}
	}
	if m := missed(rows[:1]); len(m) != 0 {
		t.Errorf("a clean baseline misses nothing: %v", m)
	}
}

func TestFlagsRefuseTopologiesThatCannotMeetTheTargets(t *testing.T) {
	for _, args := range [][]string{
		{"-cache", "memory"},                    // 3 nodes on per-node caches
		{"-cache", "memory", "-nodes", "1"},     // the default faults include the Redis freeze
		{"-nodes", "1", "-faults", "node-kill"}, // one node behind the LB fails with it
		{"-faults", "disk-full"},                // unknown
		{"-recovery", "1s", "-bound", "2s"},     // no time for the checks
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("parseFlags(%v) accepted", args)
		}
	}
	if _, err := parseFlags([]string{"-cache", "memory", "-nodes", "1", "-faults", "pg-restart"}); err != nil {
		t.Error(err)
	}
}
