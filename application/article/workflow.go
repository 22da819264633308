package article

import (
	"context"
	"time"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Act runs a workflow action on the article at version expected. publishAt is the time of
// ActionSchedule, required there and refused with every other action.
//
// Publish, schedule, unpublish and archive make an article public or take it down, so they need
// the publish policy (contributors may not); unschedule and unarchive only bring an article back
// to draft and need the edit policy.
func (s *Service) Act(ctx context.Context, id string, expected shared.Version, a Action, publishAt *time.Time) (ArticleDetail, error) {
	useCase := string(a) + " article"
	if _, err := ParseAction(string(a)); err != nil {
		return ArticleDetail{}, wrap(useCase, err)
	}
	timed := a == ActionSchedule || a == ActionScheduleChanges
	if timed && publishAt == nil {
		return ArticleDetail{}, wrap(useCase, shared.Validation(shared.FieldError{Field: "publish_at", Message: "is required to " + string(a)}))
	}
	if !timed && publishAt != nil {
		return ArticleDetail{}, wrap(useCase, shared.Validation(shared.FieldError{Field: "publish_at", Message: "is accepted by schedule and schedule-changes only"}))
	}
	// Discarding changes takes nothing public down or up: whoever may edit may discard.
	policy := mayPublish
	if a == ActionUnschedule || a == ActionUnarchive || a == ActionDiscardChanges {
		policy = mayEdit
	}
	return s.change(ctx, articleChange{
		useCase: useCase, id: id, expected: expected, action: string(a) + " this article", policy: policy,
		apply: func(_ context.Context, art *article.Article, now time.Time) (bool, error) {
			before := art.Version()
			if staged, err := actStaged(a, art, publishAt, now); staged {
				return art.Version() != before, err
			}
			var err error
			switch a {
			case ActionPublish:
				err = art.Publish(now)
			case ActionUnpublish:
				err = art.Unpublish(now)
			case ActionSchedule:
				err = art.Schedule(publishAt.UTC(), now)
			case ActionUnschedule:
				err = art.Unschedule(now)
			case ActionArchive:
				err = art.Archive(now)
			case ActionUnarchive:
				err = art.Unarchive(now)
			}
			// Scheduling again for the same time is the one action that may change nothing.
			return art.Version() != before, err
		},
	}, true)
}

// Trash moves the article at version expected to the trash (DELETE), recording article.deleted.
func (s *Service) Trash(ctx context.Context, id string, expected shared.Version) error {
	_, err := s.change(ctx, articleChange{
		useCase: "trash article", id: id, expected: expected, action: "delete this article", policy: mayEdit,
		apply: func(_ context.Context, a *article.Article, now time.Time) (bool, error) {
			return true, a.Trash(now)
		},
	}, true)
	return err
}

// RestoreFromTrash brings a trashed article back with the status it had. It needs no version: there
// is nothing in the trash to overwrite.
func (s *Service) RestoreFromTrash(ctx context.Context, id string) (ArticleDetail, error) {
	return s.change(ctx, articleChange{
		useCase: "restore article from trash", id: id, action: "restore this article", policy: mayEdit,
		apply: func(_ context.Context, a *article.Article, now time.Time) (bool, error) {
			return true, a.RestoreFromTrash(now)
		},
	}, false)
}
