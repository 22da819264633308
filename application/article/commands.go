package article

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// CreateArticle is the input of Service.Create. Tags are named by slug; an empty Slug is derived
// from the title and an empty Excerpt from the body.
type CreateArticle struct {
	Title, Slug, Excerpt, BodyMarkdown, CoverImageURL, MetaTitle, MetaDescription string
	Tags                                                                          []string
	SEO                                                                           article.SEO
	Featured                                                                      bool
}

// UpdateArticle is a merge patch of an article: a nil field is left as it is. Tags are named by
// slug; a pointer to an empty list removes every tag.
type UpdateArticle struct {
	Title, Slug, Excerpt, BodyMarkdown, CoverImageURL, MetaTitle, MetaDescription *string
	Tags                                                                          *[]string
	SEO                                                                           article.SEOChanges
	Featured                                                                      *bool
}

// Action is a workflow action, named as the route /admin/articles/{id}/{action} names it.
type Action string

// The workflow actions.
const (
	ActionPublish    Action = "publish"
	ActionUnpublish  Action = "unpublish"
	ActionSchedule   Action = "schedule"
	ActionUnschedule Action = "unschedule"
	ActionArchive    Action = "archive"
	ActionUnarchive  Action = "unarchive"
)

// Actions lists every workflow action, and the staged-change actions (staged.go).
var Actions = []Action{ActionPublish, ActionUnpublish, ActionSchedule, ActionUnschedule, ActionArchive, ActionUnarchive,
	ActionPublishChanges, ActionDiscardChanges, ActionScheduleChanges}

// ErrUnknownAction answers a workflow route that does not exist: it is a not-found, like any
// unknown path.
var ErrUnknownAction = shared.NotFound("unknown_action", "no such workflow action; use publish, unpublish, schedule, unschedule, archive, unarchive, publish-changes, discard-changes or schedule-changes")

// ParseAction validates an action name.
func ParseAction(s string) (Action, error) {
	if slices.Contains(Actions, Action(s)) {
		return Action(s), nil
	}
	return "", ErrUnknownAction
}

// Create stores a new draft written by the principal, with its first revision and article.created.
func (s *Service) Create(ctx context.Context, cmd CreateArticle) (ArticleDetail, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return ArticleDetail{}, wrap("create article", err)
	}
	if !authz.CanCreateArticle(p) {
		return ArticleDetail{}, wrap("create article", authz.Deny(p, "create articles"))
	}
	// Rendered before the transaction opens: see article.Body.
	body, err := article.RenderBody(ctx, s.renderer, cmd.BodyMarkdown)
	if err != nil {
		return ArticleDetail{}, wrap("create article", err)
	}
	var detail ArticleDetail
	err = s.tx.Do(ctx, func(ctx context.Context) error {
		tagIDs, tagRefs, err := s.resolveTags(ctx, cmd.Tags)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		a, err := article.New(s.ids.NewID(), p.UserID, article.Content{
			Title: cmd.Title, Slug: cmd.Slug, Excerpt: cmd.Excerpt, Body: body,
			CoverImageURL: cmd.CoverImageURL, MetaTitle: cmd.MetaTitle, MetaDescription: cmd.MetaDescription,
			TagIDs: tagIDs, SEO: cmd.SEO, Featured: cmd.Featured,
		}, now)
		if err != nil {
			return err
		}
		if err := s.articles.Add(ctx, a); err != nil {
			return err
		}
		// The new article's author is the principal and its tags were just read: nothing to look up.
		var known *articleRefs
		if p.Slug != "" {
			known = &articleRefs{author: AuthorRef{ID: p.UserID, Slug: p.Slug, Name: p.Name}, tags: make([]TagRef, 0, len(a.TagIDs()))}
			for _, id := range a.TagIDs() {
				known.tags = append(known.tags, tagRefs[id])
			}
		}
		detail, err = s.recordChange(ctx, p, a, true, now, known)
		return err
	})
	if err != nil {
		return ArticleDetail{}, wrap("create article", err)
	}
	s.invalidateArticle(ctx, detail.Slug)
	return detail, nil
}

// Update applies a merge patch to the article at version expected, as one change. A new body is
// rendered before the transaction opens (see article.Body), even when it turns out to be the stored
// one: rendering it again costs CPU, never a lock.
func (s *Service) Update(ctx context.Context, id string, expected shared.Version, u UpdateArticle) (ArticleDetail, error) {
	var body *article.Body
	if u.BodyMarkdown != nil {
		if err := s.mayChange(ctx, mayEdit, "edit this article"); err != nil {
			return ArticleDetail{}, wrap("update article", err)
		}
		b, err := article.RenderBody(ctx, s.renderer, *u.BodyMarkdown)
		if err != nil {
			return ArticleDetail{}, wrap("update article "+id, err)
		}
		body = &b
	}
	return s.change(ctx, articleChange{
		useCase: "update article", id: id, expected: expected, action: "edit this article", policy: mayEdit,
		apply: func(ctx context.Context, a *article.Article, now time.Time) (bool, error) {
			ch := article.Changes{
				Title: u.Title, Slug: u.Slug, Excerpt: u.Excerpt, Body: body,
				CoverImageURL: u.CoverImageURL, MetaTitle: u.MetaTitle, MetaDescription: u.MetaDescription,
				SEO: u.SEO, Featured: u.Featured,
			}
			if u.Tags != nil {
				ids, _, err := s.resolveTags(ctx, *u.Tags)
				if err != nil {
					return false, err
				}
				ch.TagIDs = &ids
			}
			return a.Edit(ch, now)
		},
	}, true)
}

// resolveTags resolves tag slugs to ids in the order given, and gives each tag by id as articles
// show it; a slug no tag has is a validation error of the field tags naming it.
func (s *Service) resolveTags(ctx context.Context, slugs []string) ([]string, map[string]TagRef, error) {
	if len(slugs) == 0 {
		return []string{}, nil, nil
	}
	if len(slugs) > article.MaxTags {
		return nil, nil, shared.Validation(shared.FieldError{Field: "tags", Message: fmt.Sprintf("must name at most %d tags", article.MaxTags)})
	}
	found, err := s.tags.GetBySlugs(ctx, slugs)
	if err != nil {
		return nil, nil, err
	}
	bySlug := make(map[string]TagRef, len(found))
	for _, t := range found {
		bySlug[t.Slug()] = TagRef{ID: t.ID(), Slug: t.Slug(), Name: t.Name()}
	}
	ids, byID := make([]string, 0, len(slugs)), make(map[string]TagRef, len(found))
	var unknown []string
	for _, slug := range slugs {
		ref, ok := bySlug[slug]
		if !ok {
			unknown = append(unknown, slug)
			continue
		}
		ids, byID[ref.ID] = append(ids, ref.ID), ref
	}
	if len(unknown) > 0 {
		return nil, nil, shared.Validation(shared.FieldError{Field: "tags", Message: "unknown tag: " + strings.Join(unknown, ", ")})
	}
	return ids, byID, nil
}
