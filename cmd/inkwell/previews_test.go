package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/inkwell-cms/inkwell/infrastructure/cache/testredis"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
)

// stagedFixture is an app on a database of one dialect whose public reads go through a shared
// Redis cache, with an admin client; redis and prefix let a test look inside the shared cache.
type stagedFixture struct {
	*identityFixture
	redis  *redis.Client
	prefix string
}

func newStagedFixture(t *testing.T, d config.Dialect, adjust ...func(*config.Config)) *stagedFixture {
	t.Helper()
	client, prefix := testredis.Client(t)
	url := testredis.URL(t)
	adjust = append(adjust, func(c *config.Config) {
		c.Redis.URL, c.Cache.Prefix = url, prefix
		c.Cache.Enabled, c.Cache.DoubleDeleteDelay = true, 10*time.Millisecond
	})
	return &stagedFixture{identityFixture: newIdentityFixture(t, d, adjust...), redis: client, prefix: prefix}
}

// cacheHolds reports whether any entry of the shared cache contains text.
func (f *stagedFixture) cacheHolds(t *testing.T, text string) bool {
	t.Helper()
	ctx := context.Background()
	keys, err := f.redis.Keys(ctx, f.prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) == 0 {
		t.Fatal("the shared cache holds nothing: the public reads did not go through it")
	}
	for _, k := range keys {
		v, err := f.redis.Get(ctx, k).Result()
		if err == nil && strings.Contains(v, text) {
			return true
		}
	}
	return false
}

// publicArticle reads the public article at path and returns its body_markdown and the answer.
func publicArticle(t *testing.T, c *apitest.Client, path string, headers ...string) (string, *apitest.Response) {
	t.Helper()
	r := mustStatus(t, c.Do("GET", path, nil, headers...), 200, "public read "+path)
	body, _ := r.Map(t)["body_markdown"].(string)
	return body, r
}

func pending(t *testing.T, a adminArticle) map[string]any {
	t.Helper()
	p, _ := a.Body["pending"].(map[string]any)
	return p
}

// createPreviewToken makes a preview token of the article as c and returns the answer.
func createPreviewToken(t *testing.T, c *apitest.Client, articleID string, body any) map[string]any {
	t.Helper()
	return mustStatus(t, c.Do("POST", articlesPath+"/"+articleID+"/preview-tokens", body), 201, "create preview token").Map(t)
}

// TestStagedChangesAndPreviews walks the issue's "Done when" on both databases with Redis as the
// shared cache: a PATCH of a live article stages its changes; a preview token shows them publicly,
// privately and never through the shared cache; publish-changes makes them live at once; expired,
// revoked and foreign tokens are 401.
func TestStagedChangesAndPreviews(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newStagedFixture(t, d)
		public := f.app.Client
		a := publishArticle(t, f.admin, "Live story", map[string]any{"body_markdown": "The live body."})
		path := "/api/v1/articles/" + a.Slug
		// Past the publish's second cache delete (double_delete_delay, 10 ms), so the read below fills
		// an entry no delayed delete removes (later reads are answered from the rendered cache).
		time.Sleep(100 * time.Millisecond)
		live, before := publicArticle(t, public, path)
		if live != "The live body." {
			t.Fatalf("public body %q", live)
		}

		// PATCH of a published article: the live article stays, the management API shows both.
		patched := asArticle(t, mustStatus(t, f.admin.Do("PATCH", articlesPath+"/"+a.ID,
			map[string]any{"body_markdown": "The pending body.", "title": "Live story, revised"}, "If-Match", a.ETag), 200, "patch live"))
		p := pending(t, patched)
		if patched.Body["body_markdown"] != "The live body." || patched.Body["has_pending_changes"] != true ||
			p == nil || p["body_markdown"] != "The pending body." || p["title"] != "Live story, revised" {
			t.Fatalf("patched article: %v", patched.Body)
		}
		sameAsRead(t, f.admin, patched)
		if body, after := publicArticle(t, public, path); body != "The live body." || after.Header.Get("ETag") != before.Header.Get("ETag") {
			t.Fatalf("after the PATCH the public API answers %q (ETag %s, was %s)", body, after.Header.Get("ETag"), before.Header.Get("ETag"))
		}
		// A stale If-Match is refused for the pending changes too.
		mustStatus(t, f.admin.Do("PATCH", articlesPath+"/"+a.ID, map[string]any{"title": "Lost"}, "If-Match", a.ETag), 412, "stale patch")

		// A preview token shows the pending changes, privately, by slug and by id, header or link.
		tok := createPreviewToken(t, f.admin, a.ID, nil)
		token, _ := tok["token"].(string)
		if !strings.HasPrefix(token, "inkp_") || len(token) != len("inkp_")+43 || tok["preview_url"] != nil {
			t.Fatalf("preview token answer: %v", tok)
		}
		expires, _ := time.Parse(time.RFC3339, tok["expires_at"].(string))
		if d := time.Until(expires); d < 23*time.Hour || d > 25*time.Hour {
			t.Fatalf("the token expires in %s, want the 24 h default", d)
		}
		for _, req := range []struct{ path, header string }{
			{path, "Preview " + token},
			{path + "?preview=" + token, ""},
			{"/api/v1/articles/" + a.ID + "?preview=" + token, ""},
			{"/api/v1/articles/" + a.ID, "preview " + token},
		} {
			var headers []string
			if req.header != "" {
				headers = []string{"Authorization", req.header}
			}
			body, r := publicArticle(t, public, req.path, headers...)
			m := r.Map(t)
			if body != "The pending body." || m["preview"] != true || m["title"] != "Live story, revised" ||
				r.Header.Get("Cache-Control") != "private, no-store" || r.Header.Get("X-Robots-Tag") != "noindex" || r.Header.Get("ETag") != "" {
				t.Fatalf("preview %s: %v %v", req.path, r.Header, m)
			}
		}
		// The shared cache never holds the preview, and the public read still answers the live body.
		if body, _ := publicArticle(t, public, path); body != "The live body." {
			t.Fatalf("after a preview the public API answers %q", body)
		}
		if f.cacheHolds(t, "The pending body.") {
			t.Fatal("the shared cache holds the pending body")
		}
		// A write's second cache delete (cache.double_delete_delay after it) may have removed the entry
		// the read above filled: read again until the cache holds it.
		deadline := time.Now().Add(5 * time.Second)
		for !f.cacheHolds(t, "The live body.") {
			if time.Now().After(deadline) {
				t.Fatal("the shared cache does not hold the live article: the check above proves nothing")
			}
			time.Sleep(100 * time.Millisecond)
			publicArticle(t, public, path)
		}
		if f.cacheHolds(t, "The pending body.") {
			t.Fatal("the shared cache holds the pending body")
		}

		// publish-changes: the public API answers the new body at once.
		published := asArticle(t, mustStatus(t, act(f.admin, patched, "publish-changes", nil), 200, "publish changes"))
		if published.Body["body_markdown"] != "The pending body." || published.Body["has_pending_changes"] != false || published.Body["pending"] != nil {
			t.Fatalf("published changes: %v", published.Body)
		}
		if body, _ := publicArticle(t, public, path); body != "The pending body." {
			t.Fatalf("after publish-changes the public API answers %q", body)
		}
		mustStatus(t, act(f.admin, published, "publish-changes", nil), 409, "publish no changes")

		// 401 with the management API's problem shape: a token for another article, a revoked one,
		// an expired one, a malformed one.
		other := createArticle(t, f.admin, "Another draft", nil)
		otherTok := createPreviewToken(t, f.admin, other.ID, map[string]any{"expires_in": 3600})["token"].(string)
		if body, r := publicArticle(t, public, "/api/v1/articles/"+other.ID+"?preview="+otherTok); !strings.Contains(body, "Another draft") || r.Map(t)["preview"] != true {
			t.Fatalf("a draft's preview by id: %q", body)
		}
		short := createPreviewToken(t, f.admin, a.ID, map[string]any{"expires_in": 1})["token"].(string)
		revoked := createPreviewToken(t, f.admin, a.ID, nil)
		mustStatus(t, f.admin.Do("DELETE", articlesPath+"/"+a.ID+"/preview-tokens/"+revoked["id"].(string), nil), 204, "revoke")
		var list struct{ Data []map[string]any }
		mustStatus(t, f.admin.Do("GET", articlesPath+"/"+a.ID+"/preview-tokens", nil), 200, "list tokens").JSON(t, &list)
		// The revoked token is not listed (the 1 s one may already have expired on a slow machine).
		if len(list.Data) < 1 || len(list.Data) > 2 {
			t.Fatalf("active tokens of the article: %v", list.Data)
		}
		for _, tok := range list.Data {
			if tok["id"] == revoked["id"] || tok["token"] != nil {
				t.Fatalf("active tokens of the article: %v", list.Data)
			}
		}
		_, apiToken := f.issueToken(t, f.adminID, false)
		time.Sleep(1100 * time.Millisecond)
		for name, bad := range map[string]string{
			"another article's": otherTok, "revoked": revoked["token"].(string), "expired": short,
			"malformed": "inkp_nope", "an API token": apiToken,
		} {
			r := public.Do("GET", path, nil, "Authorization", "Preview "+bad)
			if r.Status != 401 || r.Code(t) != "invalid_preview_token" || r.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s token: %d %s", name, r.Status, r.Body)
			}
		}
		if r := public.Do("GET", path+"?preview="+token, nil, "Authorization", "Preview "+otherTok); r.Status != 401 {
			t.Errorf("two different tokens: %d %s", r.Status, r.Body)
		}
	})
}

// TestPreviewLinkFromTheTemplate: with site.preview_url set, a new token's answer carries the link.
func TestPreviewLinkFromTheTemplate(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d, func(c *config.Config) {
			c.Site.PreviewURL = "https://example.com/preview/{slug}?token={token}&id={id}"
		})
		a := createArticle(t, f.admin, "Linked draft", nil)
		tok := createPreviewToken(t, f.admin, a.ID, nil)
		want := "https://example.com/preview/" + a.Slug + "?token=" + tok["token"].(string) + "&id=" + a.ID
		if tok["preview_url"] != want {
			t.Fatalf("preview_url %v, want %s", tok["preview_url"], want)
		}
		if r := f.admin.Do("POST", articlesPath+"/"+a.ID+"/preview-tokens", map[string]any{"expires_in": 8 * 24 * 3600}); r.Status != 422 {
			t.Fatalf("a token beyond preview.max_token_ttl: %d %s", r.Status, r.Body)
		}
	})
}

// TestAPendingPatchRunsNoMoreStatementsThanADraftPatch: staging changes of a live article keeps
// to the write budget of a draft's PATCH (maxTitlePatchStatements).
func TestAPendingPatchRunsNoMoreStatementsThanADraftPatch(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		app := newTestApp(t, d, warmPrincipals) // the budget counts a warm principal, as for a draft's PATCH
		boot, err := app.Identity.Bootstrap(context.Background(), "admin@example.com")
		if err != nil {
			t.Fatal(err)
		}
		log := logStatements(t, app.DB)
		client := apitest.New(t, marked(app.Server.Handler)).WithToken(boot.Token.Plaintext)
		_, goSlug, _ := createTag(t, client, "Go")
		a := publishArticle(t, client, "Counting live", map[string]any{"tags": []string{goSlug}})
		log.reset()
		r := mustStatus(t, client.Do("PATCH", articlesPath+"/"+a.ID, map[string]any{"title": "Counted live"}, "If-Match", a.ETag), 200, "patch live")
		stmts := log.statements()
		got := asArticle(t, r)
		if pending(t, got)["title"] != "Counted live" || got.Body["title"] != "Counting live" {
			t.Fatalf("pending patch: %s", r.Body)
		}
		for i, s := range stmts {
			t.Logf("%d: %s", i+1, s)
		}
		if len(stmts) > maxTitlePatchStatements {
			t.Errorf("a title-only PATCH of a live article ran %d statements on %s, want at most %d", len(stmts), d, maxTitlePatchStatements)
		}
	})
}

// patchLive edits a published article as the public sees it: a PATCH (which stages the changes)
// and publish-changes. It returns the article after both.
func patchLive(t *testing.T, c *apitest.Client, a adminArticle, body map[string]any) adminArticle {
	t.Helper()
	staged := asArticle(t, mustStatus(t, c.Do("PATCH", articlesPath+"/"+a.ID, body, "If-Match", a.ETag), 200, "patch live article"))
	if staged.Body["has_pending_changes"] != true {
		return staged // a draft, or a patch that changed nothing
	}
	return asArticle(t, mustStatus(t, act(c, staged, "publish-changes", nil), 200, "publish changes"))
}
