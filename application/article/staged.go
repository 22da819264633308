package article

import (
	"time"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// PendingView is the pending changes of a published or scheduled article as the management API
// shows them: the content fields of an article, tags named.
type PendingView struct {
	Slug, Title, Excerpt, BodyMarkdown, BodyHTML string
	CoverImageURL, MetaTitle, MetaDescription    string
	ReadingTimeMinutes                           int
	Tags                                         []TagRef
	SEO                                          article.SEO
	Featured                                     bool
}

// NewPendingView names the tags of p from refs (the tags known, by id); unknown ones are left out.
func NewPendingView(p *article.PendingChanges, refs map[string]TagRef) *PendingView {
	if p == nil {
		return nil
	}
	tags := make([]TagRef, 0, len(p.TagIDs))
	for _, id := range p.TagIDs {
		if t, ok := refs[id]; ok {
			tags = append(tags, t)
		}
	}
	return &PendingView{
		Slug: p.Slug, Title: p.Title, Excerpt: p.Excerpt, BodyMarkdown: p.BodyMarkdown, BodyHTML: p.BodyHTML,
		CoverImageURL: p.CoverImageURL, MetaTitle: p.MetaTitle, MetaDescription: p.MetaDescription,
		ReadingTimeMinutes: p.ReadingTimeMinutes, Tags: tags, SEO: p.SEO, Featured: p.Featured,
	}
}

// Working is the article as its editors work on it: the pending changes over the live content
// when there are some, else the article as it is. A preview shows it.
func (d ArticleDetail) Working() ArticleDetail {
	p := d.Pending
	if p == nil {
		return d
	}
	w := d
	w.Slug, w.Title, w.Excerpt, w.BodyMarkdown, w.BodyHTML = p.Slug, p.Title, p.Excerpt, p.BodyMarkdown, p.BodyHTML
	w.CoverImageURL, w.MetaTitle, w.MetaDescription = p.CoverImageURL, p.MetaTitle, p.MetaDescription
	w.ReadingTimeMinutes, w.Tags, w.SEO, w.Featured = p.ReadingTimeMinutes, p.Tags, p.SEO, p.Featured
	w.Pending, w.ChangesScheduledAt = nil, nil
	return w
}

// ResolvedSEO is the article's SEO with the documented fallbacks applied (article.SEO.Resolve).
func (d ArticleDetail) ResolvedSEO() article.ResolvedSEO {
	return d.SEO.Resolve(d.Title, d.Excerpt, d.MetaTitle, d.MetaDescription, d.CoverImageURL)
}

// The staged-change actions, run by Act like the workflow's.
const (
	ActionPublishChanges  Action = "publish-changes"
	ActionDiscardChanges  Action = "discard-changes"
	ActionScheduleChanges Action = "schedule-changes"
)

// actStaged runs a staged-change action; it reports false for the workflow's own actions.
func actStaged(a Action, art *article.Article, publishAt *time.Time, now time.Time) (bool, error) {
	switch a {
	case ActionPublishChanges:
		return true, art.PublishChanges(now)
	case ActionDiscardChanges:
		return true, art.DiscardChanges(now)
	case ActionScheduleChanges:
		return true, art.ScheduleChanges(publishAt.UTC(), now)
	}
	return false, nil
}

// touchesPublic reports whether any of events can change what the public API answers: only
// then does a change invalidate the cache (a saved pending change leaves it alone).
func touchesPublic(events []shared.Event) bool {
	for _, e := range events {
		if e.Type != article.EventChangesSaved {
			return true
		}
	}
	return false
}

// pendingTagIDs is the tag ids of a's pending changes, nil without.
func pendingTagIDs(a *article.Article) []string {
	if p := a.Pending(); p != nil {
		return p.TagIDs
	}
	return nil
}

// pendingDetail adds the pending changes of a to d, naming their tags from refs.
func pendingDetail(d *ArticleDetail, a *article.Article, refs map[string]TagRef) {
	d.Pending = NewPendingView(a.Pending(), refs)
	d.ChangesScheduledAt = utcTime(a.ChangesScheduledAt())
}
