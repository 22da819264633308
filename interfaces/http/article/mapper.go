package articlehttp

import (
	articleapp "github.com/inkwell-cms/inkwell/application/article"
)

func toTagRefs(refs []articleapp.TagRef) []tagRef {
	out := make([]tagRef, 0, len(refs))
	for _, r := range refs {
		out = append(out, tagRef{ID: r.ID, Slug: r.Slug, Name: r.Name})
	}
	return out
}

func toSummary(s articleapp.ArticleSummary) summaryResponse {
	return summaryResponse{
		ID: s.ID, Slug: s.Slug, Title: s.Title, Excerpt: s.Excerpt, CoverImageURL: s.CoverImageURL,
		Tags:        toTagRefs(s.Tags),
		Author:      authorRef{ID: s.Author.ID, Slug: s.Author.Slug, Name: s.Author.Name},
		PublishedAt: s.PublishedAt, UpdatedAt: s.UpdatedAt, ReadingTimeMinutes: s.ReadingTimeMinutes,
	}
}

func toAdminSummary(s articleapp.ArticleSummary) adminSummaryResponse {
	return adminSummaryResponse{
		summaryResponse: toSummary(s),
		Status:          string(s.Status), ScheduledAt: s.ScheduledAt, TrashedAt: s.TrashedAt,
		CreatedAt: s.CreatedAt, Version: int64(s.Version),
	}
}

func toBody(d articleapp.ArticleDetail) bodyFields {
	return bodyFields{BodyMarkdown: d.BodyMarkdown, BodyHTML: d.BodyHTML, MetaTitle: d.MetaTitle, MetaDescription: d.MetaDescription}
}

func toArticle(d articleapp.ArticleDetail) articleResponse {
	return articleResponse{summaryResponse: toSummary(d.ArticleSummary), bodyFields: toBody(d)}
}

func toAdminArticle(d articleapp.ArticleDetail) adminArticleResponse {
	return adminArticleResponse{adminSummaryResponse: toAdminSummary(d.ArticleSummary), bodyFields: toBody(d)}
}

// toList maps a page through item (the public or the admin summary) and the sparse fieldset.
func toList[T any](p articleapp.Page, item func(articleapp.ArticleSummary) T, fields Fields) (listResponse, error) {
	out := listResponse{Data: make([]any, 0, len(p.Items)), Meta: listMeta{Limit: p.Limit, HasMore: p.HasMore}}
	for _, s := range p.Items {
		v, err := project(item(s), fields)
		if err != nil {
			return out, err
		}
		out.Data = append(out.Data, v)
	}
	if p.NextCursor != nil {
		c := p.NextCursor.Encode()
		out.Meta.NextCursor = &c
	}
	if p.PageNumber > 0 {
		page, total, pages := p.PageNumber, p.Total, p.Pages
		out.Meta.Page, out.Meta.Total, out.Meta.Pages = &page, &total, &pages
	}
	return out, nil
}

// createCommand maps the create body; the service validates it.
func createCommand(r createRequest) articleapp.CreateArticle {
	return articleapp.CreateArticle{
		Title: r.Title, Slug: r.Slug, Excerpt: r.Excerpt, BodyMarkdown: r.BodyMarkdown,
		CoverImageURL: r.CoverImageURL, MetaTitle: r.MetaTitle, MetaDescription: r.MetaDescription, Tags: r.Tags,
	}
}
