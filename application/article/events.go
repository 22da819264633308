package article

import (
	"context"

	"github.com/inkwell-cms/inkwell/application/content"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// EventShapes gives the data of an article event: the summary exactly as the management API lists
// it, so a webhook payload and an API answer cannot drift apart. The HTTP layer implements it with
// the mapper its handlers use.
type EventShapes interface {
	Article(s ArticleSummary) any
}

// appendArticleEvents stores the article's events in the outbox of the transaction in ctx, each with
// the article summary as the API shows it.
func (s *Service) appendArticleEvents(ctx context.Context, events []shared.Event, summary ArticleSummary) error {
	return content.AppendEvents(ctx, s.outbox, s.ids, content.AggregateArticle, events, s.shapes.Article(summary))
}
