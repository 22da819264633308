package article_test

import (
	"context"
	"errors"
	"testing"

	"github.com/inkwell-cms/inkwell/application/apptest/memstore"
	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// overtaken lets a concurrent change win between the service's load and its save: each Get bumps
// the stored version after answering, and the Gets are counted.
type overtaken struct {
	*memstore.Articles
	db   *memstore.DB
	gets *int
}

func (r overtaken) Get(ctx context.Context, id string) (*article.Article, error) {
	*r.gets++
	a, err := r.Articles.Get(ctx, id)
	if err == nil {
		r.db.Update(func(t *memstore.Tables) {
			s := t.Articles[id]
			s.Version += 5
			t.Articles[id] = s
		})
	}
	return a, err
}

func TestAConflictOnSaveCarriesTheRepositorysCurrentVersion(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d := f.draft(uAuthor, "Raced")
	gets := 0
	svc := f.serviceWith(overtaken{Articles: f.repo, db: f.w.db, gets: &gets})

	_, err := svc.Update(as(uAuthor), d.ID, d.Version, articleapp.UpdateArticle{Title: ptr("Mine")})
	var de *shared.Error
	if !errors.As(err, &de) || de.Code != "version_conflict" || de.Details["current_version"] != int64(6) {
		t.Fatalf("want version_conflict with current_version 6, got %v (%+v)", err, de)
	}
	if gets != 1 {
		t.Fatalf("the article was loaded %d times: the service read the current version again", gets)
	}
}
