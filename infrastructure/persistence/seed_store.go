package persistence

import (
	"context"
	"fmt"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/tag"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// seedBatchRows keeps one INSERT under both drivers' bound-parameter limits (20 columns × 500).
const seedBatchRows = 500

// SeedStore writes demo content in bulk (multi-row INSERTs), for `inkwell seed`.
type SeedStore struct{ db *DB }

// NewSeedStore returns the bulk writer.
func NewSeedStore(db *DB) *SeedStore { return &SeedStore{db: db} }

// AddUsers inserts users.
func (s *SeedStore) AddUsers(ctx context.Context, users []*identity.User) error {
	rows := make([]userModel, len(users))
	for i, u := range users {
		rows[i] = userToModel(u.State())
	}
	return s.insert(ctx, "users", &rows)
}

// AddTags inserts tags.
func (s *SeedStore) AddTags(ctx context.Context, tags []*tag.Tag) error {
	rows := make([]tagModel, len(tags))
	for i, t := range tags {
		rows[i] = tagToModel(t.State())
	}
	return s.insert(ctx, "tags", &rows)
}

// AddArticles inserts articles, their tag links and their revisions.
func (s *SeedStore) AddArticles(ctx context.Context, articles []*article.Article, revisions []article.Revision) error {
	rows := make([]articleModel, len(articles))
	var links []articleTagModel
	for i, a := range articles {
		st := a.State()
		rows[i] = articleToModel(st)
		for pos, tagID := range st.TagIDs {
			links = append(links, articleTagModel{ArticleID: a.ID(), TagID: tagID, Position: pos})
		}
	}
	revs := make([]articleRevisionModel, len(revisions))
	for i, r := range revisions {
		m, err := revisionToModel(r)
		if err != nil {
			return fmt.Errorf("seed store: %w", err)
		}
		revs[i] = m
	}
	if err := s.relaxDurability(ctx); err != nil {
		return err
	}
	if err := s.insert(ctx, "articles", &rows); err != nil {
		return err
	}
	if len(links) > 0 {
		if err := s.insert(ctx, "article tags", &links); err != nil {
			return err
		}
	}
	return s.insert(ctx, "article revisions", &revs)
}

func (s *SeedStore) insert(ctx context.Context, what string, rows any) error {
	if err := s.db.Conn(ctx).CreateInBatches(rows, seedBatchRows).Error; err != nil {
		return fmt.Errorf("seed store: insert %s: %w", what, err)
	}
	return nil
}

// relaxDurability lets PostgreSQL commit a seed batch without waiting for its WAL flush: a crash
// may lose the last batches of demo content but never corrupts anything, and seeding a million
// articles is several times faster. It lasts for the current transaction only.
func (s *SeedStore) relaxDurability(ctx context.Context) error {
	if s.db.Dialect != config.DialectPostgres || !InTx(ctx) {
		return nil
	}
	if err := s.db.Conn(ctx).Exec("SET LOCAL synchronous_commit = off").Error; err != nil {
		return fmt.Errorf("seed store: %w", err)
	}
	return nil
}

// RefreshStatistics runs ANALYZE, which both engines need after a bulk load to plan well. On
// PostgreSQL the lists' tables are vacuumed too, as autovacuum would do later: that sets their
// visibility map, without which an index-only scan (the ids of an offset page) still fetches every
// heap row it walks.
func (s *SeedStore) RefreshStatistics(ctx context.Context) error {
	if err := s.db.Conn(ctx).Exec("ANALYZE").Error; err != nil {
		return fmt.Errorf("seed store: analyze: %w", err)
	}
	if s.db.Dialect != config.DialectPostgres {
		return nil
	}
	if err := s.db.Conn(ctx).Exec("VACUUM articles, article_tags").Error; err != nil {
		return fmt.Errorf("seed store: vacuum: %w", err)
	}
	return nil
}
