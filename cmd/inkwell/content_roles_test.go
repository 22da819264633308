package main

import (
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// TestContentRoles: contributors write only their own drafts and never publish; authors publish
// their own articles but touch no one else's; viewers and read-only tokens only read; editors do
// anything.
func TestContentRoles(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		editor := f.actor(t, "Ed", "editor", false).client
		author := f.actor(t, "Au", "author", false).client
		contributor := f.actor(t, "Co", "contributor", false).client
		viewer := f.actor(t, "Vi", "viewer", false).client
		readOnlyEditor := f.actor(t, "Ro", "editor", true).client
		editorsDraft := createArticle(t, editor, "Editors draft", nil)

		// Contributor: own draft yes, publish no, another's article no.
		own := createArticle(t, contributor, "Contributed", nil)
		own = asArticle(t, mustStatus(t, contributor.Do("PATCH", articlesPath+"/"+own.ID, map[string]any{"excerpt": "e"}, "If-Match", own.ETag), 200, "contributor edits own draft"))
		mustStatus(t, act(contributor, own, "publish", nil), 403, "contributor publishes")
		mustStatus(t, act(contributor, own, "schedule", map[string]any{"publish_at": "2099-01-01T00:00:00Z"}), 403, "contributor schedules")
		mustStatus(t, contributor.Do("PATCH", articlesPath+"/"+editorsDraft.ID, map[string]any{"excerpt": "x"}, "If-Match", editorsDraft.ETag), 403, "contributor edits another's")
		mustStatus(t, contributor.Do("POST", "/api/v1/admin/tags", map[string]any{"name": "Nope"}), 403, "contributor creates a tag")

		// Author: own article through publish, another's not.
		mine := publishArticle(t, author, "Authored", nil)
		mustStatus(t, author.Do("PATCH", articlesPath+"/"+mine.ID, map[string]any{"excerpt": "live edit"}, "If-Match", mine.ETag), 200, "author edits own published")
		mustStatus(t, act(author, editorsDraft, "publish", nil), 403, "author publishes another's")
		mustStatus(t, author.Do("PATCH", articlesPath+"/"+editorsDraft.ID, map[string]any{"excerpt": "x"}, "If-Match", editorsDraft.ETag), 403, "author edits another's")
		mustStatus(t, author.Do("GET", articlesPath+"/"+editorsDraft.ID, nil), 200, "author reads another's draft")

		// Viewer and read-only tokens: read everything, write nothing.
		for _, c := range []struct {
			name string
			do   func() int
		}{
			{"viewer lists", func() int { return viewer.Do("GET", articlesPath+"?status=draft", nil).Status }},
			{"viewer reads a draft", func() int { return viewer.Do("GET", articlesPath+"/"+own.ID, nil).Status }},
			{"viewer reads revisions", func() int { return viewer.Do("GET", articlesPath+"/"+own.ID+"/revisions", nil).Status }},
			{"viewer lists tags", func() int { return viewer.Do("GET", "/api/v1/admin/tags", nil).Status }},
		} {
			if got := c.do(); got != 200 {
				t.Errorf("%s: %d, want 200", c.name, got)
			}
		}
		for _, c := range []struct {
			name string
			do   func() int
		}{
			{"viewer creates", func() int { return viewer.Do("POST", articlesPath, map[string]any{"title": "V"}).Status }},
			{"viewer patches", func() int {
				return viewer.Do("PATCH", articlesPath+"/"+own.ID, map[string]any{"excerpt": "v"}, "If-Match", own.ETag).Status
			}},
			{"viewer trashes", func() int { return viewer.Do("DELETE", articlesPath+"/"+own.ID, nil, "If-Match", own.ETag).Status }},
			{"read-only editor creates", func() int { return readOnlyEditor.Do("POST", articlesPath, map[string]any{"title": "R"}).Status }},
			{"read-only editor publishes", func() int { return act(readOnlyEditor, editorsDraft, "publish", nil).Status }},
		} {
			if got := c.do(); got != 403 {
				t.Errorf("%s: %d, want 403", c.name, got)
			}
		}

		// Editor: anyone's article, any step.
		own = asArticle(t, mustStatus(t, editor.Do("PATCH", articlesPath+"/"+own.ID, map[string]any{"title": "Edited by editor"}, "If-Match", own.ETag), 200, "editor edits another's"))
		own = asArticle(t, mustStatus(t, act(editor, own, "publish", nil), 200, "editor publishes another's"))
		mustStatus(t, act(editor, own, "archive", nil), 200, "editor archives another's")
	})
}
