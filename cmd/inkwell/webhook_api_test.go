package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
)

// publicHookURL is a target the SSRF guard accepts without a DNS lookup: a public unicast address
// (the documentation ranges, TEST-NET included, are special-purpose and refused). No relay runs in
// these tests, so nothing is sent to it.
const publicHookURL = "https://93.184.215.14/hooks"

// createWebhook registers an endpoint through the API as the admin and returns the response body.
func (f *identityFixture) createWebhook(t *testing.T, url string, events ...string) map[string]any {
	t.Helper()
	r := f.admin.Do("POST", "/api/v1/admin/webhooks", map[string]any{"url": url, "events": events})
	if r.Status != 201 {
		t.Fatalf("create webhook %s: %d %s", url, r.Status, r.Body)
	}
	return r.Map(t)
}

// assertNoSecret fails when a response carries a secret field, anything like a secret, or the
// value of secret (when given) even without its prefix.
func assertNoSecret(t *testing.T, what string, r *apitest.Response, secret string) {
	t.Helper()
	body := string(r.Body)
	if strings.Contains(body, `"secret"`) || strings.Contains(body, "whsec_") ||
		(secret != "" && strings.Contains(body, strings.TrimPrefix(secret, "whsec_"))) {
		t.Errorf("%s shows a secret: %s", what, body)
	}
}

func TestWebhookSecretIsShownOnlyOnCreateAndRotate(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		r := f.admin.Do("POST", "/api/v1/admin/webhooks", map[string]any{
			"url": publicHookURL, "events": []string{"tag.created", "article.published", "tag.created"}, "description": "CDN purge",
		})
		if r.Status != 201 || r.Header.Get("ETag") != `"1"` || r.Header.Get("Cache-Control") != "private, no-store" {
			t.Fatalf("create: %d %v %s", r.Status, r.Header, r.Body)
		}
		created := r.Map(t)
		id, secret := created["id"].(string), created["secret"].(string)
		if r.Header.Get("Location") != "/api/v1/admin/webhooks/"+id || !strings.HasPrefix(secret, "whsec_") {
			t.Fatalf("location %q, secret %q", r.Header.Get("Location"), secret)
		}
		if created["enabled"] != true || created["version"] != float64(1) || created["description"] != "CDN purge" {
			t.Fatalf("created: %s", r.Body)
		}
		if events := created["events"].([]any); len(events) != 2 || events[0] != "article.published" || events[1] != "tag.created" {
			t.Fatalf("events are not sorted and deduplicated: %v", events)
		}

		get := f.admin.Do("GET", "/api/v1/admin/webhooks/"+id, nil)
		if get.Status != 200 || get.Header.Get("ETag") != `"1"` || get.Map(t)["url"] != publicHookURL {
			t.Fatalf("get: %d %s", get.Status, get.Body)
		}
		assertNoSecret(t, "GET one", get, secret)
		f.createWebhook(t, "https://93.184.215.15/other", "tag.deleted")
		list := f.admin.Do("GET", "/api/v1/admin/webhooks", nil)
		var page struct {
			Data []map[string]any
			Meta struct {
				Limit   int
				HasMore bool `json:"has_more"`
			}
		}
		list.JSON(t, &page)
		if list.Status != 200 || len(page.Data) != 2 || page.Data[0]["id"] != id || page.Meta.Limit != 20 || page.Meta.HasMore {
			t.Fatalf("list: %d %s", list.Status, list.Body)
		}
		assertNoSecret(t, "GET list", list, secret)

		rot := f.admin.Do("POST", "/api/v1/admin/webhooks/"+id+"/rotate-secret", nil)
		rotated := rot.Map(t)
		newSecret, _ := rotated["secret"].(string)
		if rot.Status != 200 || !strings.HasPrefix(newSecret, "whsec_") || newSecret == secret || rot.Header.Get("ETag") != `"2"` ||
			rot.Header.Get("Cache-Control") != "private, no-store" || rotated["version"] != float64(2) {
			t.Fatalf("rotate: %d %v %s", rot.Status, rot.Header, rot.Body)
		}
		get = f.admin.Do("GET", "/api/v1/admin/webhooks/"+id, nil)
		assertNoSecret(t, "GET after rotation", get, newSecret)
		if get.Header.Get("ETag") != `"2"` {
			t.Errorf("rotation did not change the version: %q", get.Header.Get("ETag"))
		}
		if r := f.admin.Do("POST", "/api/v1/admin/webhooks/0190a5c0-0000-7000-8000-000000000000/rotate-secret", nil); r.Status != 404 || r.Code(t) != "webhook_not_found" {
			t.Errorf("rotate unknown: %d %s", r.Status, r.Body)
		}
	})
}

func TestPatchWebhookNeedsIfMatch(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		path := "/api/v1/admin/webhooks/" + f.createWebhook(t, publicHookURL, "tag.created")["id"].(string)
		patch := map[string]any{"events": []string{"tag.updated", "tag.deleted"}, "enabled": false, "description": "off for now"}
		if r := f.admin.Do("PATCH", path, patch); r.Status != 428 || r.Code(t) != "precondition_required" {
			t.Fatalf("without If-Match: %d %s", r.Status, r.Body)
		}
		r := f.admin.Do("PATCH", path, patch, "If-Match", `"1"`, "Content-Type", "application/merge-patch+json")
		m := r.Map(t)
		if r.Status != 200 || r.Header.Get("ETag") != `"2"` || m["enabled"] != false || m["description"] != "off for now" ||
			m["url"] != publicHookURL || len(m["events"].([]any)) != 2 {
			t.Fatalf("patch: %d %s", r.Status, r.Body)
		}
		if r := f.admin.Do("PATCH", path, map[string]any{"enabled": true}, "If-Match", `"1"`); r.Status != 412 ||
			r.Code(t) != "version_conflict" || r.Map(t)["current_version"] != float64(2) {
			t.Fatalf("stale If-Match: %d %s", r.Status, r.Body)
		}
		// The ETag of a gzipped answer names the same version.
		r = f.admin.Do("PATCH", path, `{"description": null}`, "If-Match", `W/"2-gz"`)
		if r.Status != 200 || r.Map(t)["description"] != "" || r.Header.Get("ETag") != `"3"` {
			t.Fatalf("null clears the description: %d %s", r.Status, r.Body)
		}
		if r := f.admin.Do("PATCH", path, map[string]any{"enabled": false}, "If-Match", `"3"`); r.Status != 200 || r.Header.Get("ETag") != `"3"` {
			t.Fatalf("a patch that changes nothing keeps the version: %d %v", r.Status, r.Header)
		}
		cases := []struct {
			name, body, ifMatch string
			status              int
			code, fields        string
		}{
			{"null where a value is required", `{"url": null, "events": null, "enabled": null}`, `"3"`, 422, "validation_failed", "enabled,events,url"},
			{"no events", `{"events": []}`, `"3"`, 422, "validation_failed", "events"},
			{"unknown event type", `{"events": ["tag.renamed"]}`, `"3"`, 422, "validation_failed", "events"},
			{"ftp URL", `{"url": "ftp://93.184.215.14/in"}`, `"3"`, 422, "webhook_url_refused", "url"},
			{"loopback URL", `{"url": "http://127.0.0.1:8080/in"}`, `"3"`, 422, "webhook_url_refused", "url"},
			{"description too long", `{"description": "` + strings.Repeat("d", 501) + `"}`, `"3"`, 422, "validation_failed", "description"},
			{"unknown field", `{"secret": "whsec_mine"}`, `"3"`, 400, "unknown_field", ""},
			{"malformed If-Match", `{"enabled": true}`, "three", 400, "invalid_if_match", ""},
			{"missing If-Match", `{"enabled": true}`, "", 428, "precondition_required", ""},
		}
		for _, c := range cases {
			var headers []string
			if c.ifMatch != "" {
				headers = []string{"If-Match", c.ifMatch}
			}
			r := f.admin.Do("PATCH", path, c.body, headers...)
			if r.Status != c.status || r.Code(t) != c.code || (c.fields != "" && fieldsOf(t, r) != c.fields) {
				t.Errorf("%s: %d %s", c.name, r.Status, r.Body)
			}
		}
		if r := f.admin.Do("GET", path, nil); r.Header.Get("ETag") != `"3"` || r.Map(t)["url"] != publicHookURL {
			t.Errorf("a refused patch changed the webhook: %v %s", r.Header, r.Body)
		}
		if r := f.admin.Do("PATCH", "/api/v1/admin/webhooks/not-a-uuid", `{"enabled": true}`, "If-Match", `"1"`); r.Status != 404 || r.Code(t) != "webhook_not_found" {
			t.Errorf("patch unknown: %d %s", r.Status, r.Body)
		}
	})
}

func TestDeleteWebhookHonoursIfMatchWhenSent(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		first := "/api/v1/admin/webhooks/" + f.createWebhook(t, publicHookURL, "tag.created")["id"].(string)
		second := "/api/v1/admin/webhooks/" + f.createWebhook(t, publicHookURL, "tag.deleted")["id"].(string)
		f.admin.Do("POST", first+"/rotate-secret", nil)
		if r := f.admin.Do("DELETE", first, nil, "If-Match", `"1"`); r.Status != 412 || r.Code(t) != "version_conflict" || r.Map(t)["current_version"] != float64(2) {
			t.Fatalf("stale If-Match: %d %s", r.Status, r.Body)
		}
		if r := f.admin.Do("DELETE", first, nil, "If-Match", "2"); r.Status != 400 || r.Code(t) != "invalid_if_match" {
			t.Fatalf("malformed If-Match: %d %s", r.Status, r.Body)
		}
		if r := f.admin.Do("DELETE", first, nil, "If-Match", `"2"`); r.Status != 204 || len(r.Body) != 0 {
			t.Fatalf("delete with If-Match: %d %s", r.Status, r.Body)
		}
		if r := f.admin.Do("DELETE", second, nil); r.Status != 204 {
			t.Fatalf("delete without If-Match: %d %s", r.Status, r.Body)
		}
		for _, path := range []string{first, second} {
			if r := f.admin.Do("GET", path, nil); r.Status != 404 || r.Code(t) != "webhook_not_found" {
				t.Errorf("GET after delete: %d %s", r.Status, r.Body)
			}
			if r := f.admin.Do("DELETE", path, nil); r.Status != 404 || r.Code(t) != "webhook_not_found" {
				t.Errorf("second delete: %d %s", r.Status, r.Body)
			}
			if r := f.admin.Do("GET", path+"/deliveries", nil); r.Status != 404 || r.Code(t) != "webhook_not_found" {
				t.Errorf("deliveries after delete: %d %s", r.Status, r.Body)
			}
		}
		var page struct{ Data []any }
		if r := f.admin.Do("GET", "/api/v1/admin/webhooks", nil); json.Unmarshal(r.Body, &page) != nil || len(page.Data) != 0 {
			t.Errorf("list after deleting both: %s", r.Body)
		}
	})
}
