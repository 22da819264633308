package main

import (
	"fmt"
	"sync"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// TestConcurrentPatchesWithOneIfMatch: twenty editors PATCH the same version at once; the database
// lets exactly one win (200) and tells the nineteen others the version moved on (412).
func TestConcurrentPatchesWithOneIfMatch(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		a := createArticle(t, f.admin, "Contended", nil)
		const writers = 20
		statuses := make([]int, writers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				r := f.admin.Do("PATCH", articlesPath+"/"+a.ID, map[string]any{"title": fmt.Sprintf("Writer %d", i)}, "If-Match", a.ETag)
				statuses[i] = r.Status
			}()
		}
		close(start)
		wg.Wait()
		count := map[int]int{}
		for _, s := range statuses {
			count[s]++
		}
		if count[200] != 1 || count[412] != writers-1 {
			t.Fatalf("statuses %v, want one 200 and %d 412", count, writers-1)
		}
		got := mustStatus(t, f.admin.Do("GET", articlesPath+"/"+a.ID, nil), 200, "get").Header.Get("ETag")
		if got != `"2"` {
			t.Errorf("version after the race %s, want \"2\"", got)
		}
		revs, _ := listIDs(t, mustStatus(t, f.admin.Do("GET", articlesPath+"/"+a.ID+"/revisions", nil), 200, "revisions"))
		if len(revs) != 2 {
			t.Errorf("%d revisions after the race, want 2 (create and the one winner)", len(revs))
		}
	})
}
