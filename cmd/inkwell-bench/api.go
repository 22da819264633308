package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// errNoWebhookAPI means the server has no webhook endpoints (an older build).
var errNoWebhookAPI = errors.New("the server has no POST /api/v1/admin/webhooks")

// apiClient talks to Inkwell while the bench prepares a scenario.
type apiClient struct {
	base string
	http *http.Client
}

func newAPIClient(base string) *apiClient {
	// No Accept-Encoding: the bench captures and loads the identity representation.
	return &apiClient{base: base, http: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 4}}}
}

// response is a read answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (c *apiClient) do(ctx context.Context, method, path, token string, header map[string]string, body any) (response, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return response{}, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return response{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return response{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return response{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: raw}, nil
}

// call sends a request and decodes the answer into out, which must come with status want.
func (c *apiClient) call(ctx context.Context, method, path, token string, header map[string]string, body any, want int, out any) (response, error) {
	res, err := c.do(ctx, method, path, token, header, body)
	if err != nil {
		return res, err
	}
	if res.status != want {
		return res, fmt.Errorf("%s %s: status %d, want %d: %s", method, path, res.status, want, truncate(res.body, 300))
	}
	if out != nil {
		if err := json.Unmarshal(res.body, out); err != nil {
			return res, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return res, nil
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// capture saves a public GET answer for the ceiling: the body in file, the cache headers in
// file.headers; it returns the body's size. The path is read twice so the saved answer is the
// cached one.
func (c *apiClient) capture(ctx context.Context, path, file string) (int, error) {
	var res response
	for range 2 {
		var err error
		if res, err = c.call(ctx, http.MethodGet, path, "", nil, nil, http.StatusOK, nil); err != nil {
			return 0, err
		}
	}
	headers := map[string]string{}
	for _, name := range []string{"Content-Type", "ETag", "Cache-Control"} {
		if v := res.header.Get(name); v != "" {
			headers[name] = v
		}
	}
	raw, err := json.MarshalIndent(headers, "", "  ")
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(file, res.body, 0o644); err != nil {
		return 0, err
	}
	return len(res.body), os.WriteFile(file+".headers", raw, 0o644)
}

type summaryItem struct {
	Slug   string `json:"slug"`
	Title  string `json:"title"`
	Author struct {
		Slug string `json:"slug"`
	} `json:"author"`
}

type articleList struct {
	Data []summaryItem `json:"data"`
	Meta struct {
		NextCursor *string `json:"next_cursor"`
	} `json:"meta"`
}

// newest returns up to n of the newest published articles (n ≤ 100).
func (c *apiClient) newest(ctx context.Context, n int) ([]summaryItem, error) {
	var l articleList
	if _, err := c.call(ctx, http.MethodGet, "/api/v1/articles?limit="+strconv.Itoa(n), "", nil, nil, http.StatusOK, &l); err != nil {
		return nil, err
	}
	if len(l.Data) == 0 {
		return nil, errors.New("GET /api/v1/articles: no published articles; did the seed run?")
	}
	return l.Data, nil
}

// tagSlugs returns the slugs of the tags on the first (largest) page that have published articles.
func (c *apiClient) tagSlugs(ctx context.Context) ([]string, error) {
	var l struct {
		Data []struct {
			Slug         string `json:"slug"`
			ArticleCount int    `json:"article_count"`
		} `json:"data"`
	}
	if _, err := c.call(ctx, http.MethodGet, "/api/v1/tags?limit=100", "", nil, nil, http.StatusOK, &l); err != nil {
		return nil, err
	}
	var slugs []string
	for _, t := range l.Data {
		if t.ArticleCount > 0 {
			slugs = append(slugs, t.Slug)
		}
	}
	if len(slugs) == 0 {
		return nil, errors.New("GET /api/v1/tags: no tag has published articles")
	}
	return slugs, nil
}

// walkCursor follows next_cursor through pages of 100 in the default order and returns the cursor
// after the last page walked, with the number of articles before it.
func (c *apiClient) walkCursor(ctx context.Context, pages int) (cursor string, depth int, err error) {
	for range pages {
		path := "/api/v1/articles?limit=100"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		var l articleList
		if _, err := c.call(ctx, http.MethodGet, path, "", nil, nil, http.StatusOK, &l); err != nil {
			return "", 0, err
		}
		if l.Meta.NextCursor == nil {
			break // the last page: keep the cursor to it
		}
		cursor, depth = *l.Meta.NextCursor, depth+len(l.Data)
	}
	if cursor == "" {
		return "", 0, errors.New("walk the cursor: the first page is the last; seed more articles")
	}
	return cursor, depth, nil
}

// pageSize is the number of articles on the page of 20 at cursor.
func (c *apiClient) pageSize(ctx context.Context, cursor string) (int, error) {
	var l articleList
	_, err := c.call(ctx, http.MethodGet, "/api/v1/articles?limit=20&cursor="+url.QueryEscape(cursor), "", nil, nil, http.StatusOK, &l)
	return len(l.Data), err
}

// subscribeWebhook subscribes url to every article event.
func (c *apiClient) subscribeWebhook(ctx context.Context, adminToken, url string) error {
	body := map[string]any{"url": url, "description": "inkwell-bench receiver", "events": []string{
		"article.created", "article.updated", "article.published", "article.unpublished", "article.archived", "article.deleted"}}
	res, err := c.call(ctx, http.MethodPost, "/api/v1/admin/webhooks", adminToken, nil, body, http.StatusCreated, nil)
	if err != nil && (res.status == http.StatusNotFound || res.status == http.StatusMethodNotAllowed) {
		return errNoWebhookAPI
	}
	return err
}

// mixedArticle is an article of the mixed scenario: created and published before the run.
type mixedArticle struct {
	Index   int    `json:"index"`
	ID      string `json:"id"`
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Version int64  `json:"version"`
}

// createPublished creates an article as the editor and publishes it.
func (c *apiClient) createPublished(ctx context.Context, token, title string, tags []string) (mixedArticle, error) {
	var a struct {
		ID   string `json:"id"`
		Slug string `json:"slug"`
	}
	body := map[string]any{"title": title, "body_markdown": "Read and rewritten by the mixed scenario.", "tags": tags}
	res, err := c.call(ctx, http.MethodPost, "/api/v1/admin/articles", token, nil, body, http.StatusCreated, &a)
	if err != nil {
		return mixedArticle{}, err
	}
	res, err = c.call(ctx, http.MethodPost, "/api/v1/admin/articles/"+a.ID+"/publish", token,
		map[string]string{"If-Match": res.header.Get("ETag")}, nil, http.StatusOK, nil)
	if err != nil {
		return mixedArticle{}, err
	}
	v, err := strconv.ParseInt(strings.Trim(res.header.Get("ETag"), `"`), 10, 64)
	if err != nil {
		return mixedArticle{}, fmt.Errorf("publish %s: ETag %q is not a version", a.ID, res.header.Get("ETag"))
	}
	return mixedArticle{ID: a.ID, Slug: a.Slug, Title: title, Version: v}, nil
}

// words picks distinct lower-case words of five letters or more from titles, for search queries.
func words(items []summaryItem) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		for _, w := range strings.FieldsFunc(strings.ToLower(it.Title), func(r rune) bool {
			return (r < 'a' || r > 'z') && (r < '0' || r > '9')
		}) {
			if len(w) >= 5 && !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}
