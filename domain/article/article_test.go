package article_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

func TestNewCreatesADraft(t *testing.T) {
	t.Parallel()
	a, err := article.New("a1", "u1", validContent(), t0)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"id", a.ID(), "a1"},
		{"author", a.AuthorID(), "u1"},
		{"status", a.Status(), article.StatusDraft},
		{"version", a.Version(), shared.Version(1)},
		{"slug", a.Slug(), "hello-world"},
		{"excerpt", a.Excerpt(), "Hello This is the body."},
		{"excerpt is derived", a.ExcerptIsDerived(), true},
		{"html", a.BodyHTML(), "<p># Hello\n\nThis is the body.</p>"},
		{"text", a.BodyText(), " Hello\n\nThis is the body."},
		{"reading time", a.ReadingTimeMinutes(), 1},
		{"tags", strings.Join(a.TagIDs(), ","), "tag-a,tag-b"},
		{"created", a.CreatedAt(), t0},
		{"updated", a.UpdatedAt(), t0},
		{"published", a.PublishedAt() == nil && a.ScheduledAt() == nil && a.TrashedAt() == nil, true},
		{"events", eventTypes(a), article.EventCreated},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		modify func(c *article.Content)
		fields []string
	}{
		{"empty title", func(c *article.Content) { c.Title = "  " }, []string{"title", "slug"}},
		{"title too long", func(c *article.Content) { c.Title = strings.Repeat("t", 201) }, []string{"title"}},
		{"title on two lines", func(c *article.Content) { c.Title = "Hello\nWorld" }, []string{"title"}},
		{"malformed slug", func(c *article.Content) { c.Slug = "Hello World" }, []string{"slug"}},
		{"slug too long", func(c *article.Content) { c.Slug = strings.Repeat("a", 201) }, []string{"slug"}},
		{"underivable slug", func(c *article.Content) { c.Title = "???" }, []string{"slug"}},
		{"excerpt too long", func(c *article.Content) { c.Excerpt = strings.Repeat("é", 501) }, []string{"excerpt"}},
		{"cover not http", func(c *article.Content) { c.CoverImageURL = "ftp://example.com/a.png" }, []string{"cover_image_url"}},
		{"cover javascript", func(c *article.Content) { c.CoverImageURL = "javascript:alert(1)" }, []string{"cover_image_url"}},
		{"cover relative", func(c *article.Content) { c.CoverImageURL = "/images/a.png" }, []string{"cover_image_url"}},
		{"cover without host", func(c *article.Content) { c.CoverImageURL = "https:///a.png" }, []string{"cover_image_url"}},
		{"cover with spaces", func(c *article.Content) { c.CoverImageURL = "https://example.com/a b.png" }, []string{"cover_image_url"}},
		{"meta title too long", func(c *article.Content) { c.MetaTitle = strings.Repeat("m", 201) }, []string{"meta_title"}},
		{"meta description too long", func(c *article.Content) { c.MetaDescription = strings.Repeat("m", 501) }, []string{"meta_description"}},
		{"too many tags", func(c *article.Content) {
			c.TagIDs = nil
			for i := range 21 {
				c.TagIDs = append(c.TagIDs, string(rune('a'+i)))
			}
		}, []string{"tags"}},
		{"duplicate tag", func(c *article.Content) { c.TagIDs = []string{"x", "y", "x"} }, []string{"tags"}},
		{"empty tag id", func(c *article.Content) { c.TagIDs = []string{""} }, []string{"tags"}},
		{"every error at once", func(c *article.Content) {
			c.Title, c.Slug, c.MetaTitle, c.TagIDs = "", "-", strings.Repeat("m", 201), []string{"x", "x"}
		}, []string{"title", "slug", "meta_title", "tags"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := validContent()
			tt.modify(&c)
			_, err := article.New("a1", "u1", c, t0)
			if got := fieldsOf(err); !slices.Equal(got, tt.fields) {
				t.Fatalf("error fields = %v (%v), want %v", got, err, tt.fields)
			}
		})
	}
}

func TestNewAcceptsLimits(t *testing.T) {
	t.Parallel()
	tags := make([]string, article.MaxTags)
	for i := range tags {
		tags[i] = string(rune('a' + i))
	}
	c := article.Content{
		Title:           strings.Repeat("é", 200),
		Slug:            strings.Repeat("a", 200),
		Excerpt:         strings.Repeat("é", 500),
		Body:            body(strings.Repeat("a", article.MaxBodyBytes)),
		CoverImageURL:   "HTTPS://cdn.example.com/a.png?w=800",
		MetaTitle:       strings.Repeat("é", 200),
		MetaDescription: strings.Repeat("é", 500),
		TagIDs:          tags,
	}
	if _, err := article.New("a1", "u1", c, t0); err != nil {
		t.Fatalf("New at the limits: %v", err)
	}
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	words := strings.Repeat("lorem ipsum ", 40) // 480 characters
	tests := []struct {
		name    string
		excerpt string
		body    string
		want    string
		derived bool
	}{
		{name: "short body is the excerpt", body: "Just a few words.", want: "Just a few words.", derived: true},
		{name: "whitespace is collapsed", body: "one\n\n  two\tthree", want: "one two three", derived: true},
		{name: "long body is cut at a word boundary", body: words, want: strings.TrimSpace(strings.Repeat("lorem ipsum ", 16)) + " lorem…", derived: true},
		{name: "trailing punctuation is dropped before the ellipsis", body: strings.Repeat("abcd, ", 50), want: strings.TrimSuffix(strings.Repeat("abcd, ", 33), ", ") + "…", derived: true},
		{name: "one huge word is cut inside", body: strings.Repeat("x", 300), want: strings.Repeat("x", 200) + "…", derived: true},
		{name: "empty body gives an empty excerpt", body: "", want: "", derived: true},
		{name: "a written excerpt is kept", excerpt: "  Custom summary ", body: words, want: "Custom summary"},
		// The body's text is decoded: escaped markup in the body is tag-shaped text there.
		{name: "tag-shaped text is dropped", body: "Hi <img src=x onerror=alert(1)> there </script><?xml x?> end", want: "Hi there end", derived: true},
		{name: "an unclosed tag is dropped to the end", body: "Hi there <img src=x onerror=alert(1) " + words, want: "Hi there", derived: true},
		{name: "a lone < stays", body: "if a < b and b <= c, 1<2", want: "if a < b and b <= c, 1<2", derived: true},
		{name: "a cut cannot leave half a tag", body: strings.Repeat("word ", 39) + "<svg onload=alert(1)>", want: strings.TrimSpace(strings.Repeat("word ", 39)), derived: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := validContent()
			c.Excerpt, c.Body = tt.excerpt, body(tt.body)
			a, err := article.New("a1", "u1", c, t0)
			if err != nil {
				t.Fatal(err)
			}
			if a.Excerpt() != tt.want || a.ExcerptIsDerived() != tt.derived {
				t.Fatalf("excerpt = %q (derived %v), want %q (derived %v)", a.Excerpt(), a.ExcerptIsDerived(), tt.want, tt.derived)
			}
			if n := utf8.RuneCountInString(a.Excerpt()); tt.derived && n > 201 {
				t.Fatalf("derived excerpt has %d characters", n)
			}
		})
	}
}

func TestReadingTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want int
	}{
		{"empty body", "", 0},
		{"one word", "word", 1},
		{"200 words", strings.Repeat("word ", 200), 1},
		{"201 words", strings.Repeat("word ", 201), 2},
		{"1000 words", strings.Repeat("word ", 1000), 5},
		{"body without text", "!!!", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := validContent()
			c.Body = body(tt.body)
			a, err := article.New("a1", "u1", c, t0)
			if err != nil {
				t.Fatal(err)
			}
			if a.ReadingTimeMinutes() != tt.want {
				t.Fatalf("reading time = %d, want %d", a.ReadingTimeMinutes(), tt.want)
			}
		})
	}
}

func TestRehydrateKeepsStoredStateAndCopies(t *testing.T) {
	t.Parallel()
	published := t0
	s := article.State{
		ID: "a1", AuthorID: "u1", Slug: "s", Title: "T", Excerpt: "E", BodyMarkdown: "B", BodyHTML: "<p>B</p>",
		BodyText: "B", ReadingTimeMinutes: 1, CoverImageURL: "https://x/y.png", MetaTitle: "MT", MetaDescription: "MD",
		TagIDs: []string{"t"}, Status: article.StatusPublished, PublishedAt: &published, Version: 9, CreatedAt: t0, UpdatedAt: t1,
	}
	a := article.Rehydrate(s)
	got := article.State{
		ID: a.ID(), AuthorID: a.AuthorID(), Slug: a.Slug(), Title: a.Title(), Excerpt: a.Excerpt(),
		ExcerptIsDerived: a.ExcerptIsDerived(), BodyMarkdown: a.BodyMarkdown(), BodyHTML: a.BodyHTML(),
		BodyText: a.BodyText(), ReadingTimeMinutes: a.ReadingTimeMinutes(), CoverImageURL: a.CoverImageURL(),
		MetaTitle: a.MetaTitle(), MetaDescription: a.MetaDescription(), TagIDs: a.TagIDs(), Status: a.Status(),
		PublishedAt: a.PublishedAt(), ScheduledAt: a.ScheduledAt(), TrashedAt: a.TrashedAt(), Version: a.Version(),
		CreatedAt: a.CreatedAt(), UpdatedAt: a.UpdatedAt(),
	}
	if !reflect.DeepEqual(got, s) {
		t.Fatalf("rehydrated %+v, want %+v", got, s)
	}
	if events := a.PullEvents(); len(events) != 0 {
		t.Fatalf("rehydration recorded %v", events)
	}
	a.TagIDs()[0] = "changed"
	*a.PublishedAt() = t2
	published = t2
	if a.TagIDs()[0] != "t" || !a.PublishedAt().Equal(t0) {
		t.Fatal("the aggregate shares memory with its callers")
	}
}

func TestParseStatus(t *testing.T) {
	t.Parallel()
	for _, s := range article.Statuses {
		if got, err := article.ParseStatus(string(s)); err != nil || got != s {
			t.Errorf("ParseStatus(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "Draft", "trashed", "deleted"} {
		if _, err := article.ParseStatus(s); !errors.Is(err, article.ErrUnknownStatus) {
			t.Errorf("ParseStatus(%q) error = %v, want ErrUnknownStatus", s, err)
		}
	}
}

func TestErrorCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  *shared.Error
		code string
		kind shared.Kind
	}{
		{article.ErrNotFound, "article_not_found", shared.KindNotFound},
		{article.ErrRevisionNotFound, "revision_not_found", shared.KindNotFound},
		{article.ErrTrashed, "article_trashed", shared.KindConflict},
		{article.ErrNotTrashed, "article_not_trashed", shared.KindConflict},
		{article.ErrUnknownStatus, "validation_failed", shared.KindInvalid},
		{shared.ErrSlugTaken, "slug_taken", shared.KindConflict},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			if tt.err.Code != tt.code || tt.err.Kind != tt.kind {
				t.Fatalf("got %s/%d, want %s/%d", tt.err.Code, tt.err.Kind, tt.code, tt.kind)
			}
		})
	}
}
