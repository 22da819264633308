package main

import (
	"fmt"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
)

// TestOnlyAdminsManageWebhooks drives every webhook operation as every non-admin role, as a
// read-only admin token and without a token: webhook secrets sign what receivers trust, so only an
// admin may see or change them.
func TestOnlyAdminsManageWebhooks(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		id := f.createWebhook(t, publicHookURL, "tag.created")["id"].(string)
		path := "/api/v1/admin/webhooks/" + id
		redeliver := path + "/deliveries/0190a5c0-0000-7000-8000-000000000000/redeliver"
		type op struct {
			name  string
			write bool
			do    func(c *apitest.Client) *apitest.Response
		}
		ops := []op{
			{"list", false, func(c *apitest.Client) *apitest.Response { return c.Do("GET", "/api/v1/admin/webhooks", nil) }},
			{"get", false, func(c *apitest.Client) *apitest.Response { return c.Do("GET", path, nil) }},
			{"deliveries", false, func(c *apitest.Client) *apitest.Response { return c.Do("GET", path+"/deliveries", nil) }},
			{"create", true, func(c *apitest.Client) *apitest.Response {
				return c.Do("POST", "/api/v1/admin/webhooks", map[string]any{"url": publicHookURL, "events": []string{"tag.created"}})
			}},
			{"patch", true, func(c *apitest.Client) *apitest.Response {
				return c.Do("PATCH", path, map[string]any{"enabled": false}, "If-Match", `"1"`)
			}},
			{"rotate", true, func(c *apitest.Client) *apitest.Response { return c.Do("POST", path+"/rotate-secret", nil) }},
			{"redeliver", true, func(c *apitest.Client) *apitest.Response { return c.Do("POST", redeliver, nil) }},
			{"delete", true, func(c *apitest.Client) *apitest.Response { return c.Do("DELETE", path, nil) }},
		}
		anonymous := f.app.Client
		for _, o := range ops {
			if r := o.do(anonymous); r.Status != 401 || r.Code(t) != "unauthorized" {
				t.Errorf("no token: %s answered %d %s", o.name, r.Status, r.Body)
			}
		}
		for i, role := range []string{"editor", "author", "contributor", "viewer"} {
			a := f.actor(t, fmt.Sprintf("Role %d", i), role, false)
			for _, o := range ops {
				if r := o.do(a.client); r.Status != 403 || r.Code(t) != "forbidden" {
					t.Errorf("%s: %s answered %d %s", role, o.name, r.Status, r.Body)
				}
			}
		}
		readOnly := f.actor(t, "Read Only Admin", "admin", true)
		for _, o := range ops {
			r := o.do(readOnly.client)
			if o.write && (r.Status != 403 || r.Code(t) != "forbidden") {
				t.Errorf("read-only admin: %s answered %d %s", o.name, r.Status, r.Body)
			}
			if !o.write && r.Status != 200 {
				t.Errorf("read-only admin: %s answered %d %s", o.name, r.Status, r.Body)
			}
			assertNoSecret(t, "read-only "+o.name, r, "")
		}
		var page struct{ Data []map[string]any }
		f.admin.Do("GET", "/api/v1/admin/webhooks", nil).JSON(t, &page)
		if len(page.Data) != 1 || page.Data[0]["version"] != float64(1) || page.Data[0]["enabled"] != true {
			t.Fatalf("a refused write changed the webhooks: %+v", page.Data)
		}
	})
}
