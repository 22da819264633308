package articlehttp

import (
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

func TestParseListQueryRefusesBadParametersNamingThem(t *testing.T) {
	t.Parallel()
	cursor := listing.Cursor{Order: articleapp.Order(articleapp.VisibilityPublic, articleapp.SortPublishedDesc), ID: "0190a000-0000-7000-8000-000000000001"}.Encode()
	cases := []struct{ query, param string }{
		{"limit=0", "limit"}, {"limit=1000", "limit"}, {"limit=ten", "limit"}, {"limit=", "limit"},
		{"limit=1&limit=2", "limit"}, {"page=0", "page"}, {"page=-1", "page"}, {"page=10001", "page"},
		{"sort=bogus", "sort"}, {"sort=-updated_at", "sort"}, {"sort=relevance", "sort"},
		{"cursor=" + cursor[:len(cursor)-2] + "AA", "cursor"}, {"cursor=%21%21", "cursor"},
		{"sort=title&cursor=" + cursor, "cursor"}, {"page=2&cursor=" + cursor, "page"},
		{"fields=nope", "fields"}, {"fields=", "fields"}, {"fields=id,,slug", "fields"}, {"fields=status", "fields"},
		{"tag=", "tag"}, {"status=draft", "status"}, {"bogus=1", "bogus"}, {"q=" + string(make([]byte, 501)), "q"},
		{"q=caf%E9", "q"}, {"q=a%00b", "q"}, {"tag=" + strings.Repeat("&tag=t", 21)[1:], "tag"},
		{"q=go&cursor=" + cursor, "cursor"}, {"limit=-1", "limit"}, {"sort=-created_at", "sort"},
		{"page=501", "page"}, {"page=101&limit=100", "page"}, {"page=10000&limit=2", "page"},
	}
	for _, c := range cases {
		values, err := url.ParseQuery(c.query)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseListQuery(values, false)
		var se *shared.Error
		if !errors.As(err, &se) || se.Kind != shared.KindMalformed {
			t.Errorf("%s: want a 400-kind error, got %v", c.query, err)
			continue
		}
		if len(se.Fields) != 1 || se.Fields[0].Field != c.param {
			t.Errorf("%s: the error names %+v, want %q", c.query, se.Fields, c.param)
		}
	}
}

func TestParseListQueryReadsEveryParameter(t *testing.T) {
	t.Parallel()
	values, _ := url.ParseQuery("tag=go&tag=web&author=ada&q=%20gophers%20&sort=title&limit=5&fields=title,tags")
	req, err := ParseListQuery(values, false)
	if err != nil {
		t.Fatal(err)
	}
	q := req.Query
	if !slices.Equal(q.TagSlugs, []string{"go", "web"}) || q.AuthorSlug != "ada" || q.Q != "gophers" ||
		q.Sort != articleapp.SortTitleAsc || q.Limit != 5 || !q.Now.IsZero() {
		t.Errorf("query = %+v", q)
	}
	if !slices.Equal(req.Fields, Fields{"id", "title", "tags"}) {
		t.Errorf("fields = %v", req.Fields)
	}
	none, _ := ParseListQuery(url.Values{}, false)
	if none.Query.Limit != listing.DefaultLimit || none.Query.Sort != articleapp.SortPublishedDesc || none.Fields != nil {
		t.Errorf("defaults = %+v", none)
	}
	for query, want := range map[string]articleapp.Sort{"q=go": articleapp.SortRelevance, "q=%20%20": articleapp.SortPublishedDesc, "q=go&sort=title": articleapp.SortTitleAsc} {
		values, _ := url.ParseQuery(query)
		if req, err := ParseListQuery(values, false); err != nil || req.Query.Sort != want {
			t.Errorf("%s: sort %q, %v; want %q", query, req.Query.Sort, err, want)
		}
	}
	titleCursor := listing.Cursor{Order: articleapp.Order(articleapp.VisibilityPublic, articleapp.SortTitleAsc), Text: "a", ID: "0190a000-0000-7000-8000-000000000001"}
	values, _ = url.ParseQuery("sort=title&limit=100&cursor=" + titleCursor.Encode())
	if req, err := ParseListQuery(values, false); err != nil || req.Query.Cursor == nil || req.Query.Cursor.Text != "a" || req.Query.Limit != 100 {
		t.Errorf("cursor of the same sort: %+v, %v", req.Query, err)
	}
}

func TestParseListQueryAdminStatuses(t *testing.T) {
	t.Parallel()
	values, _ := url.ParseQuery("status=draft&status=trashed&sort=-updated_at&fields=status,version")
	req, err := ParseListQuery(values, true)
	if err != nil {
		t.Fatal(err)
	}
	if req.Query.Trash != articleapp.TrashOnly || !slices.Equal(req.Query.Statuses, []article.Status{article.StatusDraft}) ||
		req.Query.Sort != articleapp.SortUpdatedDesc {
		t.Errorf("query = %+v", req.Query)
	}
	if _, err := ParseListQuery(url.Values{"status": {"gone"}}, true); err == nil {
		t.Error("an unknown status was accepted")
	}
}

func TestProjectKeepsSelectedFields(t *testing.T) {
	t.Parallel()
	now := time.Now()
	v, err := project(toSummary(articleapp.ArticleSummary{ID: "a", Slug: "s", Title: "T", UpdatedAt: now}), Fields{"id", "title"})
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]json.RawMessage)
	if len(m) != 2 || string(m["title"]) != `"T"` || string(m["id"]) != `"a"` {
		t.Errorf("projected = %v", m)
	}
}

func TestPageModeReachesTenThousandRowsDeep(t *testing.T) {
	t.Parallel()
	for _, query := range []string{"page=500", "page=100&limit=100", "page=10000&limit=1"} {
		values, _ := url.ParseQuery(query)
		if _, err := ParseListQuery(values, false); err != nil {
			t.Errorf("%s: %v", query, err)
		}
	}
	values, _ := url.ParseQuery("page=501")
	_, err := ParseListQuery(values, false)
	if err == nil || !strings.Contains(err.Error(), "cursor") || !strings.Contains(err.Error(), "10000") {
		t.Fatalf("a page too deep must name the depth and point to the cursor: %v", err)
	}
}
