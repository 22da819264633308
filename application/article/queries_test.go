package article_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

func TestListQueryNormalize(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	public := articleapp.ListQuery{Now: now}
	admin := articleapp.ListQuery{Visibility: articleapp.VisibilityAdmin}
	with := func(q articleapp.ListQuery, change func(*articleapp.ListQuery)) articleapp.ListQuery {
		change(&q)
		return q
	}
	titleCursor := &articleapp.Cursor{Sort: articleapp.SortTitleAsc, Title: "a", ID: "0190a5c0-0000-7000-8000-000000000001"}
	tests := []struct {
		name      string
		q         articleapp.ListQuery
		wantSort  articleapp.Sort
		wantLimit int
		wantField string // the parameter an invalid-input error names; "" for success
		wantCode  string
	}{
		{name: "public defaults", q: public, wantSort: articleapp.SortPublishedDesc, wantLimit: 20},
		{name: "admin defaults", q: admin, wantSort: articleapp.SortPublishedDesc, wantLimit: 20},
		{name: "search defaults to relevance", q: with(public, func(q *articleapp.ListQuery) { q.Q = "go" }), wantSort: articleapp.SortRelevance, wantLimit: 20},
		{name: "search with an explicit sort", q: with(public, func(q *articleapp.ListQuery) { q.Q = "go"; q.Sort = articleapp.SortTitleAsc }), wantSort: articleapp.SortTitleAsc, wantLimit: 20},
		{name: "limit 1", q: with(public, func(q *articleapp.ListQuery) { q.Limit = 1 }), wantSort: articleapp.SortPublishedDesc, wantLimit: 1},
		{name: "limit 100", q: with(public, func(q *articleapp.ListQuery) { q.Limit = 100 }), wantSort: articleapp.SortPublishedDesc, wantLimit: 100},
		{name: "admin sort in admin list", q: with(admin, func(q *articleapp.ListQuery) { q.Sort = articleapp.SortUpdatedDesc }), wantSort: articleapp.SortUpdatedDesc, wantLimit: 20},
		{name: "admin statuses", q: with(admin, func(q *articleapp.ListQuery) { q.Statuses = []article.Status{article.StatusDraft} }), wantSort: articleapp.SortPublishedDesc, wantLimit: 20},
		{name: "cursor of the same sort", q: with(public, func(q *articleapp.ListQuery) { q.Sort = articleapp.SortTitleAsc; q.Cursor = titleCursor }), wantSort: articleapp.SortTitleAsc, wantLimit: 20},
		{name: "blank search is no search", q: with(public, func(q *articleapp.ListQuery) { q.Q = "  " }), wantSort: articleapp.SortPublishedDesc, wantLimit: 20},
		{name: "search too long", q: with(public, func(q *articleapp.ListQuery) { q.Q = strings.Repeat("a", 501) }), wantField: "q", wantCode: "invalid_parameter"},
		{name: "search not UTF-8", q: with(public, func(q *articleapp.ListQuery) { q.Q = "caf\xe9" }), wantField: "q", wantCode: "invalid_parameter"},
		{name: "search with NUL", q: with(public, func(q *articleapp.ListQuery) { q.Q = "a\x00b" }), wantField: "q", wantCode: "invalid_parameter"},
		{name: "too many tags", q: with(public, func(q *articleapp.ListQuery) { q.TagSlugs = make([]string, 21) }), wantField: "tag", wantCode: "invalid_parameter"},
		{name: "limit 101", q: with(public, func(q *articleapp.ListQuery) { q.Limit = 101 }), wantField: "limit", wantCode: "invalid_parameter"},
		{name: "negative limit", q: with(public, func(q *articleapp.ListQuery) { q.Limit = -1 }), wantField: "limit", wantCode: "invalid_parameter"},
		{name: "negative page", q: with(public, func(q *articleapp.ListQuery) { q.Page = -1 }), wantField: "page", wantCode: "invalid_parameter"},
		{name: "page too deep", q: with(public, func(q *articleapp.ListQuery) { q.Page = articleapp.MaxPage + 1 }), wantField: "page", wantCode: "invalid_parameter"},
		{name: "page and cursor", q: with(public, func(q *articleapp.ListQuery) {
			q.Page = 2
			q.Cursor = &articleapp.Cursor{Sort: articleapp.SortPublishedDesc, ID: "x"}
		}), wantField: "page", wantCode: "invalid_parameter"},
		{name: "bogus sort", q: with(public, func(q *articleapp.ListQuery) { q.Sort = "views" }), wantField: "sort", wantCode: "invalid_parameter"},
		{name: "admin sort in public list", q: with(public, func(q *articleapp.ListQuery) { q.Sort = articleapp.SortCreatedDesc }), wantField: "sort", wantCode: "invalid_parameter"},
		{name: "relevance without search", q: with(public, func(q *articleapp.ListQuery) { q.Sort = articleapp.SortRelevance }), wantField: "sort", wantCode: "invalid_parameter"},
		{name: "statuses in public list", q: with(public, func(q *articleapp.ListQuery) { q.Statuses = []article.Status{article.StatusDraft} }), wantField: "status", wantCode: "invalid_parameter"},
		{name: "trash in public list", q: with(public, func(q *articleapp.ListQuery) { q.Trash = articleapp.TrashOnly }), wantField: "status", wantCode: "invalid_parameter"},
		{name: "unknown status", q: with(admin, func(q *articleapp.ListQuery) { q.Statuses = []article.Status{"trashed"} }), wantField: "status", wantCode: "invalid_parameter"},
		{name: "cursor of another sort", q: with(public, func(q *articleapp.ListQuery) { q.Cursor = titleCursor }), wantField: "cursor", wantCode: "invalid_cursor"},
		{name: "cursor with a search in relevance order", q: with(public, func(q *articleapp.ListQuery) { q.Q = "go"; q.Cursor = titleCursor }), wantField: "cursor", wantCode: "invalid_cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.q.Normalize()
			if tt.wantField == "" {
				if err != nil || got.Sort != tt.wantSort || got.Limit != tt.wantLimit {
					t.Fatalf("got sort %q limit %d err %v; want %q %d", got.Sort, got.Limit, err, tt.wantSort, tt.wantLimit)
				}
				return
			}
			var e *shared.Error
			if !errors.As(err, &e) || e.Kind != shared.KindMalformed || e.Code != tt.wantCode ||
				len(e.Fields) != 1 || e.Fields[0].Field != tt.wantField {
				t.Fatalf("err = %#v, want %s naming %q", err, tt.wantCode, tt.wantField)
			}
		})
	}
}

func TestListQueryNormalizeRefusesProgrammingErrors(t *testing.T) {
	t.Parallel()
	for name, q := range map[string]articleapp.ListQuery{
		"public list without a time": {},
		"unknown visibility":         {Visibility: 7, Now: time.Now()},
		"unknown trash filter":       {Visibility: articleapp.VisibilityAdmin, Trash: 9},
	} {
		if _, err := q.Normalize(); err == nil || shared.KindOf(err) != shared.KindInternal {
			t.Errorf("%s: err = %v, want an internal error", name, err)
		}
	}
}

func TestParseSort(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"-published_at", "published_at", "title", "-title"} {
		if got, err := articleapp.ParseSort(s, false); err != nil || string(got) != s {
			t.Errorf("public ParseSort(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"-updated_at", "-created_at"} {
		if _, err := articleapp.ParseSort(s, false); err == nil {
			t.Errorf("public ParseSort(%q) accepted an admin sort", s)
		}
		if got, err := articleapp.ParseSort(s, true); err != nil || string(got) != s {
			t.Errorf("admin ParseSort(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "relevance", "updated_at", "TITLE", "title "} {
		if _, err := articleapp.ParseSort(s, true); err == nil {
			t.Errorf("ParseSort(%q) accepted it", s)
		}
	}
}
