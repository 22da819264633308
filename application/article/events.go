package article

import (
	"context"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Aggregate types of outbox messages.
const (
	aggregateArticle = "article"
	aggregateTag     = "tag"
)

// appendArticleEvents stores the article's events in the outbox of the transaction in ctx, each with
// the article summary as the API shows it.
func (s *Service) appendArticleEvents(ctx context.Context, events []shared.Event, summary ArticleSummary) error {
	return s.appendEvents(ctx, aggregateArticle, events, ArticlePayload(summary))
}

// appendTagEvents stores the tag's events with the tag as the API shows it.
func (s *Service) appendTagEvents(ctx context.Context, events []shared.Event, t TagView) error {
	return s.appendEvents(ctx, aggregateTag, events, TagPayload(t))
}

func (s *Service) appendEvents(ctx context.Context, aggregateType string, events []shared.Event, data map[string]any) error {
	if len(events) == 0 {
		return nil
	}
	msgs := make([]application.OutboxMessage, len(events))
	for i, e := range events {
		msgs[i] = application.OutboxMessage{
			ID: s.ids.NewID(), Type: e.Type, AggregateType: aggregateType, AggregateID: e.AggregateID,
			OccurredAt: e.OccurredAt, Data: data,
		}
	}
	return s.outbox.Append(ctx, msgs...)
}

// ArticlePayload is the data of an article event: the summary with the public API's snake_case
// names (application views carry no JSON tags). Times are UTC; absent ones are null.
func ArticlePayload(a ArticleSummary) map[string]any {
	tags := make([]map[string]any, len(a.Tags))
	for i, t := range a.Tags {
		tags[i] = map[string]any{"id": t.ID, "slug": t.Slug, "name": t.Name}
	}
	return map[string]any{
		"id":                   a.ID,
		"slug":                 a.Slug,
		"title":                a.Title,
		"excerpt":              a.Excerpt,
		"cover_image_url":      a.CoverImageURL,
		"status":               string(a.Status),
		"tags":                 tags,
		"author":               map[string]any{"id": a.Author.ID, "slug": a.Author.Slug, "name": a.Author.Name},
		"published_at":         utcOrNil(a.PublishedAt),
		"scheduled_at":         utcOrNil(a.ScheduledAt),
		"trashed_at":           utcOrNil(a.TrashedAt),
		"created_at":           a.CreatedAt.UTC(),
		"updated_at":           a.UpdatedAt.UTC(),
		"reading_time_minutes": a.ReadingTimeMinutes,
		"version":              int64(a.Version),
	}
}

// TagPayload is the data of a tag event, with the public API's names.
func TagPayload(t TagView) map[string]any {
	return map[string]any{
		"id":            t.ID,
		"slug":          t.Slug,
		"name":          t.Name,
		"description":   t.Description,
		"article_count": t.ArticleCount,
		"version":       int64(t.Version),
		"created_at":    t.CreatedAt.UTC(),
		"updated_at":    t.UpdatedAt.UTC(),
	}
}

func utcOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}
