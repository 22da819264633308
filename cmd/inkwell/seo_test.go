package main

import (
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// TestSEOFieldsComeBackResolved: the public API answers every meta and social field with its
// documented fallback, the management API what editors set; bad lengths and URLs are 422 naming
// the field; featured filters the public list.
func TestSEOFieldsComeBackResolved(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		bare := publishArticle(t, f.admin, "Bare", map[string]any{
			"excerpt": "A bare excerpt.", "cover_image_url": "https://img.example.com/cover.png",
		})
		full := publishArticle(t, f.admin, "Full", map[string]any{
			"meta_title": "Meta full", "meta_description": "Meta description.", "og_title": "OG full",
			"twitter_description": "Tweet.", "og_image": "https://img.example.com/og.png",
			"canonical_url": "https://example.com/full", "noindex": true, "featured": true,
		})
		none := publishArticle(t, f.admin, "No image", map[string]any{"excerpt": "Nothing else."})

		check := func(slug string, want map[string]any) {
			t.Helper()
			got := mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles/"+slug, nil), 200, "public "+slug).Map(t)
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: %s = %#v, want %#v", slug, k, got[k], v)
				}
			}
		}
		check(bare.Slug, map[string]any{
			"meta_title": "Bare", "meta_description": "A bare excerpt.", "og_title": "Bare", "og_description": "A bare excerpt.",
			"og_image": "https://img.example.com/cover.png", "twitter_title": "Bare", "twitter_description": "A bare excerpt.",
			"twitter_image": "https://img.example.com/cover.png", "canonical_url": nil, "noindex": false, "featured": false,
		})
		check(full.Slug, map[string]any{
			"meta_title": "Meta full", "meta_description": "Meta description.", "og_title": "OG full",
			"og_description": "Meta description.", "og_image": "https://img.example.com/og.png", "twitter_title": "OG full",
			"twitter_description": "Tweet.", "twitter_image": "https://img.example.com/og.png",
			"canonical_url": "https://example.com/full", "noindex": true, "featured": true,
		})
		check(none.Slug, map[string]any{"og_image": nil, "twitter_image": nil, "og_description": "Nothing else."})
		// The management API shows what was set, unresolved.
		if full.Body["og_description"] != "" || full.Body["og_image"] != "https://img.example.com/og.png" || bare.Body["meta_title"] != "" {
			t.Errorf("management answers: %v / %v", full.Body, bare.Body)
		}

		// featured=true lists the featured article only; anything else is a 400 naming the parameter.
		ids, _ := listIDs(t, mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles?featured=true", nil), 200, "featured list"))
		if len(ids) != 1 || ids[0] != full.ID {
			t.Errorf("featured list: %v, want [%s]", ids, full.ID)
		}
		if r := f.app.Client.Do("GET", "/api/v1/articles?featured=yes", nil); r.Status != 400 {
			t.Errorf("featured=yes: %d %s", r.Status, r.Body)
		}

		// 422 with field errors, and nothing changes.
		long := strings.Repeat("x", 201)
		for field, value := range map[string]any{
			"og_title": long, "twitter_title": long, "og_description": strings.Repeat("y", 501),
			"canonical_url": "not a url", "og_image": "ftp://img.example.com/a.png", "twitter_image": "https://" + strings.Repeat("a", 2050),
		} {
			r := f.admin.Do("PATCH", articlesPath+"/"+bare.ID, map[string]any{field: value}, "If-Match", bare.ETag)
			var problem struct {
				Errors []struct{ Field string } `json:"errors"`
			}
			r.JSON(t, &problem)
			if r.Status != 422 || len(problem.Errors) != 1 || problem.Errors[0].Field != field {
				t.Errorf("%s: %d %s", field, r.Status, r.Body)
			}
		}
		sameAsRead(t, f.admin, bare)
	})
}

// TestDiscardAndScheduleChanges: discarding drops the pending changes and leaves the live article;
// the staged actions need pending changes; a scheduled change is shown with its time; unpublishing
// folds pending changes into the draft; every saved state is a revision.
func TestDiscardAndScheduleChanges(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		a := publishArticle(t, f.admin, "Staged", nil)
		mustStatus(t, act(f.admin, a, "discard-changes", nil), 409, "discard without changes")
		mustStatus(t, act(f.admin, a, "schedule-changes", map[string]any{"publish_at": "2099-01-01T00:00:00Z"}), 409, "schedule without changes")
		a = asArticle(t, mustStatus(t, f.admin.Do("PATCH", articlesPath+"/"+a.ID, map[string]any{"title": "Staged again"}, "If-Match", a.ETag), 200, "patch"))
		a = asArticle(t, mustStatus(t, act(f.admin, a, "discard-changes", nil), 200, "discard"))
		if a.Body["pending"] != nil || a.Body["title"] != "Staged" {
			t.Fatalf("after discard: %v", a.Body)
		}
		a = asArticle(t, mustStatus(t, f.admin.Do("PATCH", articlesPath+"/"+a.ID, map[string]any{"title": "Staged later"}, "If-Match", a.ETag), 200, "patch"))
		mustStatus(t, act(f.admin, a, "schedule-changes", map[string]any{}), 422, "schedule-changes without a time")
		a = asArticle(t, mustStatus(t, act(f.admin, a, "schedule-changes", map[string]any{"publish_at": "2099-01-01T00:00:00Z"}), 200, "schedule changes"))
		if a.Body["changes_scheduled_at"] != "2099-01-01T00:00:00Z" || a.Body["has_pending_changes"] != true {
			t.Fatalf("after schedule-changes: %v", a.Body)
		}
		sameAsRead(t, f.admin, a)
		a = asArticle(t, mustStatus(t, act(f.admin, a, "unpublish", nil), 200, "unpublish"))
		if a.Body["title"] != "Staged later" || a.Body["pending"] != nil || a.Body["changes_scheduled_at"] != nil {
			t.Fatalf("after unpublish: %v", a.Body)
		}
		var revs struct {
			Data []map[string]any `json:"data"`
		}
		mustStatus(t, f.admin.Do("GET", articlesPath+"/"+a.ID+"/revisions?limit=100", nil), 200, "revisions").JSON(t, &revs)
		pendingStates := 0
		for _, r := range revs.Data {
			if r["pending"] == true {
				pendingStates++
			}
		}
		// create, publish, patch, discard, patch, schedule-changes, unpublish: 7 saved states, 3 of them pending.
		if len(revs.Data) != 7 || pendingStates != 3 {
			t.Fatalf("revisions: %d (%d pending), want 7 (3 pending): %v", len(revs.Data), pendingStates, revs.Data)
		}
	})
}
