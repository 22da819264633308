package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/infrastructure/cache/testredis"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// TestReadAfterWriteIsNeverStale: a public read that starts after a write's response never returns
// the old content, with the cache warm before every write; on the in-process cache and on Redis,
// on both databases.
func TestReadAfterWriteIsNeverStale(t *testing.T) {
	t.Parallel()
	backends := map[string]func(t *testing.T) (func(*config.Config), func(t *testing.T)){
		"memory": func(*testing.T) (func(*config.Config), func(*testing.T)) {
			return func(*config.Config) {}, func(*testing.T) {}
		},
		"redis": func(t *testing.T) (func(*config.Config), func(*testing.T)) {
			client, prefix := testredis.Client(t)
			url := testredis.URL(t)
			assertUsed := func(t *testing.T) {
				keys, err := client.Keys(context.Background(), prefix+"*").Result()
				if err != nil || len(keys) == 0 {
					t.Errorf("no cache keys under %s (%v): the reads did not go through Redis", prefix, err)
				}
			}
			return func(c *config.Config) { c.Redis.URL, c.Cache.Prefix = url, prefix }, assertUsed
		},
	}
	for name, backend := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			forEachDialect(t, func(t *testing.T, d config.Dialect) {
				adjust, assertUsed := backend(t)
				f := newIdentityFixture(t, d, adjust, func(c *config.Config) {
					c.Cache.Enabled, c.Cache.DoubleDeleteDelay = true, 10*time.Millisecond
				})
				createTag(t, f.admin, "Loop")
				a := publishArticle(t, f.admin, "Loop", map[string]any{"tags": []string{"loop"}})
				for i := range 50 {
					// Warm every cached read, then write, then read again at once.
					f.app.Client.Do("GET", "/api/v1/articles/"+a.Slug, nil)
					f.app.Client.Do("GET", "/api/v1/articles?tag=loop", nil)
					f.app.Client.Do("GET", "/api/v1/tags/loop", nil)
					title := fmt.Sprintf("Loop %d", i)
					a = patchLive(t, f.admin, a, map[string]any{"title": title})
					if got := f.app.Client.Do("GET", "/api/v1/articles/"+a.Slug, nil).Map(t)["title"]; got != title {
						t.Fatalf("round %d: the article reads %q after the write of %q", i, got, title)
					}
					var list struct {
						Data []map[string]any `json:"data"`
					}
					f.app.Client.Do("GET", "/api/v1/articles?tag=loop", nil).JSON(t, &list)
					if len(list.Data) != 1 || list.Data[0]["title"] != title {
						t.Fatalf("round %d: the list reads %v after the write of %q", i, list.Data, title)
					}
					// Unpublishing must empty the tag's count and the list at once, too.
					if i%10 == 9 {
						a = asArticle(t, mustStatus(t, act(f.admin, a, "unpublish", nil), 200, "unpublish"))
						if n := f.app.Client.Do("GET", "/api/v1/tags/loop", nil).Map(t)["article_count"]; n != float64(0) {
							t.Fatalf("round %d: the tag counts %v after unpublishing", i, n)
						}
						mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles/"+a.Slug, nil), 404, "unpublished")
						a = asArticle(t, mustStatus(t, act(f.admin, a, "publish", nil), 200, "publish"))
					}
				}
				assertUsed(t)
				time.Sleep(50 * time.Millisecond) // let the delayed deletes run before the cache closes
			})
		})
	}
}
