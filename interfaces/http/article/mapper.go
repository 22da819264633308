package articlehttp

import (
	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/interfaces/http/paging"
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
		Featured: s.Featured,
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

// toArticle is the public article: meta and social fields resolved with their fallbacks.
func toArticle(d articleapp.ArticleDetail) articleResponse {
	seo := d.ResolvedSEO()
	d.MetaTitle, d.MetaDescription = seo.MetaTitle, seo.MetaDescription
	return articleResponse{summaryResponse: toSummary(d.ArticleSummary), bodyFields: toBody(d), resolvedSEO: toResolvedSEO(seo)}
}

func toAdminArticle(d articleapp.ArticleDetail) adminArticleResponse {
	return adminArticleResponse{
		adminSummaryResponse: toAdminSummary(d.ArticleSummary), bodyFields: toBody(d),
		seoFields: toSEOFields(d.SEO), stagedFields: toStaged(d),
	}
}

// toList maps a page through item (the public or the admin summary) and the sparse fieldset.
func toList[T any](p articleapp.Page, item func(articleapp.ArticleSummary) T, fields Fields) (paging.Envelope[any], error) {
	out := paging.Envelope[any]{Data: make([]any, 0, len(p.Items)), Meta: paging.MetaOf(p)}
	for _, s := range p.Items {
		v, err := project(item(s), fields)
		if err != nil {
			return out, err
		}
		out.Data = append(out.Data, v)
	}
	return out, nil
}

// createCommand maps the create body; the service validates it.
func createCommand(r createRequest) articleapp.CreateArticle {
	return articleapp.CreateArticle{
		Title: r.Title, Slug: r.Slug, Excerpt: r.Excerpt, BodyMarkdown: r.BodyMarkdown,
		CoverImageURL: r.CoverImageURL, MetaTitle: r.MetaTitle, MetaDescription: r.MetaDescription, Tags: r.Tags,
		SEO: r.seo(), Featured: r.Featured,
	}
}
