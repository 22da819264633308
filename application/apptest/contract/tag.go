package contract

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

// TagRepository is the contract of tag.Repository. Deleting a tag takes it off its articles: see
// ArticleRepository.
func TagRepository(t *testing.T, open func(t *testing.T) tag.Repository) {
	t.Run("round trip, unique keys, save and delete", func(t *testing.T) {
		t.Parallel()
		tagLifecycle(t, open(t))
	})
}

func tagLifecycle(t *testing.T, repo tag.Repository) {
	ctx := context.Background()
	add := func(name, slug string) *tag.Tag {
		t.Helper()
		tg, err := tag.New(newID(), name, slug, "about "+name, t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := repo.Add(ctx, tg); err != nil {
			t.Fatalf("add tag %s: %v", name, err)
		}
		return tg
	}
	get := func(id string) *tag.Tag {
		t.Helper()
		tg, err := repo.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return tg
	}
	goTag := add("Go", "")

	for name, get := range map[string]func() (*tag.Tag, error){
		"id":   func() (*tag.Tag, error) { return repo.Get(ctx, goTag.ID()) },
		"slug": func() (*tag.Tag, error) { return repo.GetBySlug(ctx, "go") },
	} {
		got, err := get()
		if err != nil {
			t.Fatalf("by %s: %v", name, err)
		}
		if got.State() != goTag.State() {
			t.Fatalf("by %s: round trip:\n got %+v\nwant %+v", name, got.State(), goTag.State())
		}
	}
	for name, get := range map[string]func() (*tag.Tag, error){
		"unknown id":     func() (*tag.Tag, error) { return repo.Get(ctx, newID()) },
		"malformed id":   func() (*tag.Tag, error) { return repo.Get(ctx, "not-a-uuid") },
		"unknown slug":   func() (*tag.Tag, error) { return repo.GetBySlug(ctx, "rust") },
		"malformed slug": func() (*tag.Tag, error) { return repo.GetBySlug(ctx, "go\x00") },
	} {
		if _, err := get(); !errors.Is(err, tag.ErrNotFound) {
			t.Fatalf("%s: err = %v, want tag_not_found", name, err)
		}
	}

	rust := add("Rust", "")
	found, err := repo.GetBySlugs(ctx, []string{"rust", "go", "zig", "bad\xff"})
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, tg := range found {
		slugs = append(slugs, tg.Slug())
	}
	if slices.Sort(slugs); !slices.Equal(slugs, []string{"go", "rust"}) {
		t.Fatalf("GetBySlugs = %v", slugs)
	}
	if none, err := repo.GetBySlugs(ctx, nil); err != nil || len(none) != 0 {
		t.Fatalf("GetBySlugs(nil) = %v, %v", none, err)
	}

	sameName, _ := tag.New(newID(), "  GO ", "golang", "", t0)
	if code, kind, fields := errorParts(repo.Add(ctx, sameName)); code != "tag_name_taken" || kind != shared.KindConflict || !slices.Equal(fields, []string{"name"}) {
		t.Fatalf("same name ignoring case: %s %d %v", code, kind, fields)
	}
	sameSlug, _ := tag.New(newID(), "Golang", "go", "", t0)
	if code, kind, fields := errorParts(repo.Add(ctx, sameSlug)); code != "slug_taken" || kind != shared.KindConflict || !slices.Equal(fields, []string{"slug"}) {
		t.Fatalf("same slug: %s %d %v", code, kind, fields)
	}

	later := t0.Add(time.Hour)
	edited := get(goTag.ID())
	if _, err := edited.Update(tag.Changes{Name: ptr("Golang"), Description: ptr("")}, later); err != nil {
		t.Fatal(err)
	}
	if err := repo.Save(ctx, edited, 1); err != nil {
		t.Fatalf("save: %v", err)
	}
	if got := get(goTag.ID()); got.State() != edited.State() || got.Slug() != "go" || got.Version() != 2 {
		t.Fatalf("after save:\n got %+v\nwant %+v", got.State(), edited.State())
	}

	stale := get(goTag.ID())
	_, _ = stale.Update(tag.Changes{Description: ptr("stale")}, later)
	err = repo.Save(ctx, stale, 1)
	if code, kind, _ := errorParts(err); code != "version_conflict" || kind != shared.KindStaleVersion || currentVersionOf(err) != int64(2) {
		t.Fatalf("stale save: %v, current_version = %v", err, currentVersionOf(err))
	}
	renamed := get(rust.ID())
	_, _ = renamed.Update(tag.Changes{Name: ptr("GOLANG")}, later)
	if code, _, fields := errorParts(repo.Save(ctx, renamed, 1)); code != "tag_name_taken" || !slices.Equal(fields, []string{"name"}) {
		t.Fatalf("rename to a taken name: %s %v", code, fields)
	}
	reslugged := get(rust.ID())
	_, _ = reslugged.Update(tag.Changes{Slug: ptr("go")}, later)
	if code, _, fields := errorParts(repo.Save(ctx, reslugged, 1)); code != "slug_taken" || !slices.Equal(fields, []string{"slug"}) {
		t.Fatalf("move to a taken slug: %s %v", code, fields)
	}

	err = repo.Delete(ctx, goTag.ID(), 1)
	if !errors.Is(err, shared.ErrVersionConflict) || currentVersionOf(err) != int64(2) {
		t.Fatalf("stale delete: %v, current_version = %v", err, currentVersionOf(err))
	}
	if err := repo.Delete(ctx, goTag.ID(), 2); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := repo.Get(ctx, goTag.ID()); !errors.Is(err, tag.ErrNotFound) {
		t.Fatalf("deleted tag: %v", err)
	}
	for name, err := range map[string]error{
		"delete again":      repo.Delete(ctx, goTag.ID(), 2),
		"delete malformed":  repo.Delete(ctx, "x", 1),
		"save deleted":      repo.Save(ctx, edited, 2),
		"save never stored": repo.Save(ctx, sameName, 1),
	} {
		if !errors.Is(err, tag.ErrNotFound) {
			t.Fatalf("%s: %v, want tag_not_found", name, err)
		}
	}
	// The freed name and slug can be taken again.
	if err := repo.Add(ctx, sameName); err != nil {
		t.Fatalf("reuse a deleted tag's name: %v", err)
	}
}
