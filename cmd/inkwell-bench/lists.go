package main

import (
	"context"
	"fmt"
	"net/url"
)

// listScenarios runs issue 14's list scenarios with the cache off: filters, unknown slugs and page
// mode, each a rotation of request paths (paths.js) compared with the uncached first page (d).
func (b *bench) listScenarios(ctx context.Context, srv *process, base scenarioConfig) error {
	newest, err := b.api.newest(ctx, 100)
	if err != nil {
		return err
	}
	tags, err := b.api.tagSlugs(ctx)
	if err != nil {
		return err
	}
	authors := authorSlugs(newest)
	if len(authors) == 0 {
		return fmt.Errorf("GET /api/v1/articles: the newest articles name no author")
	}
	list := func(params ...string) string {
		v := url.Values{"limit": {"20"}}
		for i := 0; i+1 < len(params); i += 2 {
			v.Add(params[i], params[i+1])
		}
		return "/api/v1/articles?" + v.Encode()
	}
	var byTag, byAuthor, both, unknownTag, unknownAuthor []string
	for i, t := range tags {
		byTag = append(byTag, list("tag", t))
		both = append(both, list("tag", t, "author", authors[i%len(authors)]))
		unknownTag = append(unknownTag, list("tag", fmt.Sprintf("no-such-tag-%d", i)))
	}
	for i, a := range authors {
		byAuthor = append(byAuthor, list("author", a))
		unknownAuthor = append(unknownAuthor, list("author", fmt.Sprintf("no-such-author-%d", i)))
	}
	// The deepest page the API allows: page × limit is at most 10,000 rows (articleapp.MaxPageRows).
	deep := max(1, min(10_000/20, b.cfg.Articles/20))
	b.meta.DeepPage = deep
	steps := []struct {
		key, name string
		paths     []string
	}{
		{keyTag, "tag filter (cache off)", byTag},
		{keyAuthor, "author filter (cache off)", byAuthor},
		{keyTagAuthor, "tag + author filter (cache off)", both},
		{keyUnknownTag, "unknown tag (cache off)", unknownTag},
		{keyUnknownAuthor, "unknown author (cache off)", unknownAuthor},
		{keyPageFirst, "page mode, page 1 (cache off)", []string{list("page", "1")}},
		{keyPageDeep, fmt.Sprintf("page mode, page %d (cache off)", deep), []string{list("page", fmt.Sprint(deep))}},
	}
	for _, s := range steps {
		cfg := base
		cfg.Paths = s.paths
		if err := b.scenario(ctx, s.key, s.name, "paths.js", srv, cfg); err != nil {
			return err
		}
	}
	return nil
}

// authorSlugs returns the distinct authors of items, in order.
func authorSlugs(items []summaryItem) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		if s := it.Author.Slug; s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
