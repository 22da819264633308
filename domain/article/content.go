package article

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Limits of an article's fields: text lengths in characters (runes), the body in bytes.
const (
	MaxTitleLength           = 200
	MaxExcerptLength         = 500
	MaxBodyBytes             = 1 << 20
	MaxMetaTitleLength       = 200
	MaxMetaDescriptionLength = 500
	MaxCoverImageURLLength   = 2048
	MaxTags                  = 20
)

// Content is what an author writes when creating an article, the body already rendered (see Body).
// An empty Slug is derived from the title and an empty Excerpt from the body.
type Content struct {
	Title           string
	Slug            string
	Excerpt         string
	Body            Body
	CoverImageURL   string
	MetaTitle       string
	MetaDescription string
	TagIDs          []string
	SEO             SEO
	Featured        bool
}

// Changes lists the fields an edit sets; a nil field is left as it is. As in Content, a Slug or an
// Excerpt pointing to "" is derived again (from the current title, from the body). Changing the title
// keeps the slug, so published URLs stay stable.
type Changes struct {
	Title           *string
	Slug            *string
	Excerpt         *string
	Body            *Body
	CoverImageURL   *string
	MetaTitle       *string
	MetaDescription *string
	TagIDs          *[]string
	SEO             SEOChanges
	Featured        *bool
}

func (c Content) asChanges() Changes {
	return Changes{
		Title: &c.Title, Slug: &c.Slug, Excerpt: &c.Excerpt, Body: &c.Body,
		CoverImageURL: &c.CoverImageURL, MetaTitle: &c.MetaTitle, MetaDescription: &c.MetaDescription,
		TagIDs: &c.TagIDs, SEO: c.SEO.asChanges(), Featured: &c.Featured,
	}
}

// contentState is the editable part of an article together with what is computed from it.
type contentState struct {
	title            string
	slug             string
	excerpt          string
	excerptIsDerived bool
	bodyMarkdown     string
	bodyHTML         string
	bodyText         string
	readingMinutes   int
	coverImageURL    string
	metaTitle        string
	metaDescription  string
	tagIDs           []string
	seo              SEO
	featured         bool
}

// with returns the content with the changes applied and validated; what is computed from the body
// (excerpt, reading time) is computed again only when the body changed.
func (c contentState) with(ch Changes) (contentState, error) {
	var v shared.Validator
	next := c
	if ch.Title != nil {
		next.title = checkLine(&v, "title", *ch.Title, 1, MaxTitleLength)
	}
	if ch.Slug != nil {
		next.slug = shared.ChooseSlug(&v, "slug", *ch.Slug, next.title)
	}
	// A derived excerpt is derived again only when the excerpt or the body is set, so that an edit of
	// other fields never depends on the stored plain text.
	deriveAgain := false
	if ch.Excerpt != nil {
		next.excerpt = checkText(&v, "excerpt", *ch.Excerpt, MaxExcerptLength)
		next.excerptIsDerived = next.excerpt == ""
		deriveAgain = true
	}
	if ch.Body != nil && ch.Body.markdown != c.bodyMarkdown {
		b := *ch.Body
		next.bodyMarkdown, next.bodyHTML, next.bodyText = b.markdown, b.html, b.text
		next.readingMinutes = readingMinutes(b.markdown, b.text)
		deriveAgain = true
	}
	if deriveAgain && next.excerptIsDerived {
		next.excerpt = deriveExcerpt(next.bodyText)
	}
	if ch.CoverImageURL != nil {
		next.coverImageURL = checkCoverImageURL(&v, *ch.CoverImageURL)
	}
	if ch.MetaTitle != nil {
		next.metaTitle = checkLine(&v, "meta_title", *ch.MetaTitle, 0, MaxMetaTitleLength)
	}
	if ch.MetaDescription != nil {
		next.metaDescription = checkText(&v, "meta_description", *ch.MetaDescription, MaxMetaDescriptionLength)
	}
	if ch.TagIDs != nil {
		next.tagIDs = checkTagIDs(&v, *ch.TagIDs)
	}
	next.seo = next.seo.with(&v, ch.SEO)
	if ch.Featured != nil {
		next.featured = *ch.Featured
	}
	return next, v.Err()
}

func (c contentState) equal(o contentState) bool {
	// The derived fields (HTML, text, reading time, derived excerpt) follow from the compared ones.
	return c.title == o.title && c.slug == o.slug && c.excerpt == o.excerpt &&
		c.excerptIsDerived == o.excerptIsDerived && c.bodyMarkdown == o.bodyMarkdown &&
		c.coverImageURL == o.coverImageURL && c.metaTitle == o.metaTitle &&
		c.metaDescription == o.metaDescription && slices.Equal(c.tagIDs, o.tagIDs) &&
		c.seo == o.seo && c.featured == o.featured
}

// checkLine validates a single-line text field: trimmed, min to max characters, no control characters.
func checkLine(v *shared.Validator, field, s string, min, max int) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case min > 0 && (n < min || n > max):
		v.Add(field, fmt.Sprintf("must be %d to %d characters", min, max))
	case n > max:
		v.Add(field, fmt.Sprintf("must be at most %d characters", max))
	}
	v.Check(strings.IndexFunc(s, unicode.IsControl) < 0, field, "must be a single line without control characters")
	return s
}

// checkText validates an optional free-text field: trimmed, at most max characters.
func checkText(v *shared.Validator, field, s string, max int) string {
	s = strings.TrimSpace(s)
	v.Check(utf8.RuneCountInString(s) <= max, field, fmt.Sprintf("must be at most %d characters", max))
	return s
}

func checkCoverImageURL(v *shared.Validator, raw string) string {
	return checkURL(v, "cover_image_url", raw)
}

func checkTagIDs(v *shared.Validator, ids []string) []string {
	v.Check(len(ids) <= MaxTags, "tags", fmt.Sprintf("must name at most %d tags", MaxTags))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if id == "" || seen[id] {
			v.Add("tags", "must not name a tag twice or an empty tag")
			break
		}
		seen[id] = true
	}
	if len(ids) == 0 {
		return nil
	}
	return slices.Clone(ids)
}
