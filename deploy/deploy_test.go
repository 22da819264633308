// Package deploy holds the files an operator deploys next to Inkwell: the HAProxy config `make chaos`
// runs, the Grafana dashboard and the Prometheus alerting rules. This test keeps them honest: the
// rules parse, every metric they and the dashboard query exists in infrastructure/metrics, and every
// alert is explained in the README.
package deploy

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// dbStats are the series of client_golang's DBStatsCollector (registered in infrastructure/metrics).
var dbStats = []string{
	"go_sql_max_open_connections", "go_sql_open_connections", "go_sql_in_use_connections",
	"go_sql_idle_connections", "go_sql_wait_count_total", "go_sql_wait_duration_seconds_total",
	"go_sql_max_idle_closed_total", "go_sql_max_idle_time_closed_total", "go_sql_max_lifetime_closed_total",
}

type rules struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []struct {
			Alert       string            `yaml:"alert"`
			Expr        string            `yaml:"expr"`
			For         string            `yaml:"for"`
			Labels      map[string]string `yaml:"labels"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

// knownMetrics are the series names the code exports (histograms with their _bucket/_sum/_count).
func knownMetrics(t *testing.T) map[string]bool {
	t.Helper()
	known := map[string]bool{"up": true}
	for _, m := range dbStats {
		known[m] = true
	}
	files, err := os.ReadDir("../infrastructure/metrics")
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`Name:\s*"(inkwell_[a-z0-9_]+)"`)
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		src, err := os.ReadFile("../infrastructure/metrics/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range name.FindAllStringSubmatch(string(src), -1) {
			for _, suffix := range []string{"", "_bucket", "_sum", "_count"} {
				known[m[1]+suffix] = true
			}
		}
	}
	if !known["inkwell_http_requests_total"] {
		t.Fatal("found no metric names in infrastructure/metrics: has the registration changed shape?")
	}
	return known
}

var metricRef = regexp.MustCompile(`\b(inkwell_[a-z0-9_]+|go_sql_[a-z0-9_]+|up)\b\s*[{\[)=<>!]`)

func checkMetrics(t *testing.T, where, expr string, known map[string]bool) {
	t.Helper()
	refs := metricRef.FindAllStringSubmatch(expr, -1)
	if len(refs) == 0 {
		t.Errorf("%s: no metric found in %q", where, expr)
	}
	for _, m := range refs {
		if !known[m[1]] {
			t.Errorf("%s: metric %s is not exported by infrastructure/metrics", where, m[1])
		}
	}
	if strings.Count(expr, "(") != strings.Count(expr, ")") || strings.Count(expr, "{") != strings.Count(expr, "}") {
		t.Errorf("%s: unbalanced brackets in %q", where, expr)
	}
}

func TestAlertingRules(t *testing.T) {
	raw, err := os.ReadFile("prometheus-alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var r rules
	dec := yaml.NewDecoder(strings.NewReader(string(raw)))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("prometheus-alerts.yml: %v", err)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	known := knownMetrics(t)
	seen := map[string]bool{}
	for _, g := range r.Groups {
		if g.Name == "" || len(g.Rules) == 0 {
			t.Errorf("group %q: needs a name and rules", g.Name)
		}
		for _, rule := range g.Rules {
			where := g.Name + "/" + rule.Alert
			if rule.Alert == "" || seen[rule.Alert] {
				t.Errorf("%s: every rule is an alert with a unique name", where)
			}
			seen[rule.Alert] = true
			if rule.For != "" {
				if _, err := time.ParseDuration(rule.For); err != nil {
					t.Errorf("%s: for: %v", where, err)
				}
			}
			if s := rule.Labels["severity"]; s != "warning" && s != "critical" {
				t.Errorf("%s: severity %q, want warning or critical", where, s)
			}
			if rule.Annotations["summary"] == "" || rule.Annotations["description"] == "" {
				t.Errorf("%s: needs a summary and a description", where)
			}
			checkMetrics(t, where, rule.Expr, known)
			if !strings.Contains(string(readme), "`"+rule.Alert+"`") {
				t.Errorf("%s: the README's operations section does not explain it", where)
			}
		}
	}
	if len(seen) == 0 {
		t.Fatal("no alerts")
	}
}

// promtool, when on PATH (go install github.com/prometheus/prometheus/cmd/promtool@v0.316.0), checks
// the rules with Prometheus's own parser.
func TestAlertingRulesPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not on PATH")
	}
	if out, err := exec.Command(promtool, "check", "rules", "prometheus-alerts.yml").CombinedOutput(); err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
}

func TestGrafanaDashboard(t *testing.T) {
	raw, err := os.ReadFile("grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Title  string `json:"title"`
		UID    string `json:"uid"`
		Panels []struct {
			Title   string `json:"title"`
			Type    string `json:"type"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("grafana-dashboard.json: %v", err)
	}
	known := knownMetrics(t)
	var queried []string
	for _, p := range d.Panels {
		if p.Type == "row" {
			continue
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, q := range p.Targets {
			checkMetrics(t, "panel "+p.Title, q.Expr, known)
			queried = append(queried, q.Expr)
		}
	}
	all := strings.Join(queried, "\n")
	// What issue 12 asks the dashboard to show.
	for _, want := range []string{`status=~"5.."`, "inkwell_http_request_duration_seconds_bucket", "histogram_quantile(0.99",
		"inkwell_webhook_queue_depth", "inkwell_cache_invalidations_pending", "inkwell_circuit_breaker_state"} {
		if !strings.Contains(all, want) {
			t.Errorf("the dashboard queries nothing with %s", want)
		}
	}
}

// The HAProxy config `make chaos` runs is valid for the haproxy on this machine (when there is one;
// make chaos-short, in CI, runs it for real).
func TestHAProxyConfig(t *testing.T) {
	haproxy, err := exec.LookPath("haproxy")
	if err != nil {
		t.Skip("haproxy not on PATH")
	}
	if out, err := exec.Command(haproxy, "-c", "-f", "haproxy.cfg").CombinedOutput(); err != nil {
		t.Fatalf("haproxy -c: %v\n%s", err, out)
	}
}
