package article

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Limits of the SEO and social fields, in characters.
const (
	MaxSocialTitleLength       = 200
	MaxSocialDescriptionLength = 500
	MaxURLLength               = 2048
)

// SEO is what a frontend needs for an article's <head> beyond meta_title and meta_description:
// the canonical URL, the Open Graph and Twitter card fields, and whether search engines may index
// the page. Empty strings are unset; Resolved applies the fallbacks the public API answers.
type SEO struct {
	CanonicalURL       string
	OGTitle            string
	OGDescription      string
	OGImageURL         string
	TwitterTitle       string
	TwitterDescription string
	TwitterImageURL    string
	Noindex            bool
}

// SEOChanges lists the SEO fields an edit sets; a nil field is left as it is, "" clears it.
type SEOChanges struct {
	CanonicalURL       *string
	OGTitle            *string
	OGDescription      *string
	OGImageURL         *string
	TwitterTitle       *string
	TwitterDescription *string
	TwitterImageURL    *string
	Noindex            *bool
}

func (s SEO) asChanges() SEOChanges {
	return SEOChanges{
		CanonicalURL: &s.CanonicalURL, OGTitle: &s.OGTitle, OGDescription: &s.OGDescription, OGImageURL: &s.OGImageURL,
		TwitterTitle: &s.TwitterTitle, TwitterDescription: &s.TwitterDescription, TwitterImageURL: &s.TwitterImageURL,
		Noindex: &s.Noindex,
	}
}

// with returns s with ch applied, each field validated like the article's own.
func (s SEO) with(v *shared.Validator, ch SEOChanges) SEO {
	set := func(dst *string, src *string, check func(string) string) {
		if src != nil {
			*dst = check(*src)
		}
	}
	line := func(field string) func(string) string {
		return func(x string) string { return checkLine(v, field, x, 0, MaxSocialTitleLength) }
	}
	text := func(field string) func(string) string {
		return func(x string) string { return checkText(v, field, x, MaxSocialDescriptionLength) }
	}
	link := func(field string) func(string) string {
		return func(x string) string { return checkURL(v, field, x) }
	}
	set(&s.CanonicalURL, ch.CanonicalURL, link("canonical_url"))
	set(&s.OGTitle, ch.OGTitle, line("og_title"))
	set(&s.OGDescription, ch.OGDescription, text("og_description"))
	set(&s.OGImageURL, ch.OGImageURL, link("og_image"))
	set(&s.TwitterTitle, ch.TwitterTitle, line("twitter_title"))
	set(&s.TwitterDescription, ch.TwitterDescription, text("twitter_description"))
	set(&s.TwitterImageURL, ch.TwitterImageURL, link("twitter_image"))
	if ch.Noindex != nil {
		s.Noindex = *ch.Noindex
	}
	return s
}

// checkURL validates an optional absolute http(s) URL field of at most MaxURLLength characters.
func checkURL(v *shared.Validator, field, raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	ok := err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		len(raw) <= MaxURLLength && strings.IndexFunc(raw, unicode.IsSpace) < 0
	v.Check(ok, field, fmt.Sprintf("must be an absolute http or https URL of at most %d characters", MaxURLLength))
	return raw
}

// ResolvedSEO is the SEO of an article with every fallback applied, as the public API answers it:
// a frontend reads each field as is, with no chain of defaults of its own. An empty string remains
// only where no fallback has a value (an article with neither an og_image nor a cover image).
type ResolvedSEO struct {
	MetaTitle, MetaDescription                        string
	CanonicalURL                                      string
	OGTitle, OGDescription, OGImageURL                string
	TwitterTitle, TwitterDescription, TwitterImageURL string
	Noindex                                           bool
}

// Resolve applies the documented fallbacks: meta_title → title; meta_description → excerpt;
// og_title → meta_title → title; og_description → meta_description → excerpt; og_image → cover
// image; twitter_title, twitter_description and twitter_image → their resolved Open Graph
// counterparts. The canonical URL has no fallback (the frontend's URL scheme is its own).
func (s SEO) Resolve(title, excerpt, metaTitle, metaDescription, coverImageURL string) ResolvedSEO {
	r := ResolvedSEO{CanonicalURL: s.CanonicalURL, Noindex: s.Noindex}
	r.MetaTitle = first(metaTitle, title)
	r.MetaDescription = first(metaDescription, excerpt)
	r.OGTitle = first(s.OGTitle, r.MetaTitle)
	r.OGDescription = first(s.OGDescription, r.MetaDescription)
	r.OGImageURL = first(s.OGImageURL, coverImageURL)
	r.TwitterTitle = first(s.TwitterTitle, r.OGTitle)
	r.TwitterDescription = first(s.TwitterDescription, r.OGDescription)
	r.TwitterImageURL = first(s.TwitterImageURL, r.OGImageURL)
	return r
}

func first(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
