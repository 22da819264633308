package seed

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

var (
	firstNames = []string{"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Dennis", "Radia", "Niklaus"}
	lastNames  = []string{"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Ritchie", "Perlman", "Wirth"}
	topics     = []string{"Go", "Databases", "Design", "Performance", "Security", "Testing", "Cloud", "Frontend", "Editorial", "Careers", "Open Source", "Data"}
	adjectives = []string{"Practical", "Hidden", "Modern", "Fast", "Reliable", "Simple", "Honest", "Boring", "Elegant", "Resilient"}
	nouns      = []string{"caching", "indexes", "queues", "migrations", "webhooks", "retries", "APIs", "schemas", "releases", "benchmarks", "logs", "teams"}
	places     = []string{"in production", "at scale", "for small teams", "without a framework", "on a budget", "in 2026", "the hard way", "from scratch"}
	sentences  = []string{
		"Most systems fail at the edges, where one component hands work to another.",
		"A cache is a promise that the past is still true, and every promise needs an expiry.",
		"Measure before you optimise; the profile is usually surprising.",
		"An index turns a scan into a lookup, but every index is paid for on every write.",
		"Retries without back-off are a denial-of-service attack you run against yourself.",
		"The database is the only component that remembers what happened after a crash.",
		"Idempotency keys let a client retry without fear of doing the work twice.",
		"Readers deserve fast pages, and editors deserve never to lose an edit.",
		"A good default beats a clever configuration option.",
		"Logs are for humans at three in the morning: make every line count.",
	}
)

// bodies is a pool of markdown bodies of a few KB; articles share them (rendering each once).
var bodies = func() []string {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]string, 48)
	for i := range out {
		var b strings.Builder
		for s := range 2 + rng.IntN(3) {
			fmt.Fprintf(&b, "## %s %s\n\n", adjectives[rng.IntN(len(adjectives))], nouns[rng.IntN(len(nouns))])
			for range 2 + rng.IntN(2) {
				for range 3 + rng.IntN(3) {
					b.WriteString(sentences[rng.IntN(len(sentences))])
					b.WriteByte(' ')
				}
				b.WriteString("\n\n")
			}
			switch s % 3 {
			case 0:
				b.WriteString("- first, read the **query plan**\n- then add the index\n- then measure again\n\n")
			case 1:
				b.WriteString("```go\nfor attempt := range retries {\n\ttime.Sleep(backoff(attempt))\n}\n```\n\n")
			default:
				b.WriteString("> The best code is the code you did not have to write.\n\n")
			}
		}
		out[i] = b.String()
	}
	return out
}()

func headline(rng *rand.Rand) string {
	return fmt.Sprintf("%s %s %s", adjectives[rng.IntN(len(adjectives))], nouns[rng.IntN(len(nouns))], places[rng.IntN(len(places))])
}

func slugBase(title string) string { return shared.Slugify(title) }
