package article

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/domain/article"
)

// PreviewSecrets makes preview token secrets and hashes presented ones; the API token generator
// (infrastructure/apitoken) implements it with the preview prefix. Hash reports false for a string
// not shaped like a preview token.
type PreviewSecrets interface {
	NewPreviewSecret() (plain string, hash []byte, err error)
	HashPreviewSecret(plain string) ([]byte, bool)
}

// PreviewSettings are the preview.* and site.preview_url settings.
type PreviewSettings struct {
	TokenTTL    time.Duration // the expiry of a token whose request names none
	MaxTokenTTL time.Duration
	// URLTemplate is the frontend's preview link with {token}, {slug} and {id}; empty: no link.
	URLTemplate string
}

// Previews is what the preview use cases need besides the service's own ports.
type Previews struct {
	Tokens   article.PreviewTokenRepository
	Secrets  PreviewSecrets
	Settings PreviewSettings
}

// PreviewTokenView is a preview token as the management API shows it. Token (the secret) and
// PreviewURL are set only in the answer that creates it.
type PreviewTokenView struct {
	ID, ArticleID, CreatedBy string
	CreatedAt, ExpiresAt     time.Time
	Token, PreviewURL        string
}

func previewTokenView(t *article.PreviewToken) PreviewTokenView {
	return PreviewTokenView{
		ID: t.ID(), ArticleID: t.ArticleID(), CreatedBy: t.CreatedBy(),
		CreatedAt: t.CreatedAt().UTC(), ExpiresAt: t.ExpiresAt().UTC(),
	}
}

// CreatePreviewToken makes a preview token for the article, valid for ttl (0: the configured
// default), for anyone who may edit the article. The secret is in the answer and nowhere else.
func (s *Service) CreatePreviewToken(ctx context.Context, articleID string, ttl time.Duration) (PreviewTokenView, error) {
	const useCase = "create preview token"
	if ttl == 0 {
		ttl = s.previews.Settings.TokenTTL
	}
	var view PreviewTokenView
	err := s.forEditor(ctx, useCase, articleID, func(ctx context.Context, p authz.Principal, a *article.Article) error {
		now := s.clock.Now()
		n, err := s.previews.Tokens.CountActive(ctx, a.ID(), now)
		if err != nil {
			return err
		}
		if n >= article.MaxActivePreviewTokens {
			return article.ErrTooManyPreviewTokens
		}
		plain, hash, err := s.previews.Secrets.NewPreviewSecret()
		if err != nil {
			return err
		}
		t, err := article.NewPreviewToken(s.ids.NewID(), a.ID(), p.UserID, hash, ttl, s.previews.Settings.MaxTokenTTL, now)
		if err != nil {
			return err
		}
		if err := s.previews.Tokens.Add(ctx, t); err != nil {
			return err
		}
		view = previewTokenView(t)
		view.Token = plain
		slug := a.Slug()
		if pending := a.Pending(); pending != nil {
			slug = pending.Slug
		}
		view.PreviewURL = previewURL(s.previews.Settings.URLTemplate, plain, slug, a.ID())
		return nil
	})
	return view, err
}

// previewURL fills the template; slugs, UUIDs and tokens (base64url) need no escaping.
func previewURL(template, token, slug, id string) string {
	if template == "" {
		return ""
	}
	return strings.NewReplacer("{token}", token, "{slug}", slug, "{id}", id).Replace(template)
}

// PreviewTokens lists the article's active preview tokens, newest first (at most
// article.MaxActivePreviewTokens exist).
func (s *Service) PreviewTokens(ctx context.Context, articleID string) ([]PreviewTokenView, error) {
	var out []PreviewTokenView
	err := s.forEditor(ctx, "list preview tokens", articleID, func(ctx context.Context, _ authz.Principal, a *article.Article) error {
		tokens, err := s.previews.Tokens.ListActive(ctx, a.ID(), s.clock.Now())
		out = make([]PreviewTokenView, len(tokens))
		for i, t := range tokens {
			out[i] = previewTokenView(t)
		}
		return err
	})
	return out, err
}

// RevokePreviewToken ends one of the article's preview tokens at once.
func (s *Service) RevokePreviewToken(ctx context.Context, articleID, tokenID string) error {
	return s.forEditor(ctx, "revoke preview token", articleID, func(ctx context.Context, _ authz.Principal, a *article.Article) error {
		t, err := s.previews.Tokens.Get(ctx, a.ID(), tokenID)
		if err != nil {
			return err
		}
		if !t.Revoke(s.clock.Now()) {
			return nil
		}
		return s.previews.Tokens.Save(ctx, t)
	})
}

// forEditor runs fn in a transaction with the article, for a principal who may edit it.
func (s *Service) forEditor(ctx context.Context, useCase, articleID string,
	fn func(ctx context.Context, p authz.Principal, a *article.Article) error,
) error {
	if err := s.mayChange(ctx, mayEdit, "preview this article"); err != nil {
		return wrap(useCase, err)
	}
	p, _ := authz.Require(ctx)
	err := s.tx.Do(ctx, func(ctx context.Context) error {
		a, err := s.articles.Get(ctx, articleID)
		if err != nil {
			return err
		}
		if !mayEdit(p, a.AuthorID(), a.Status()) {
			return authz.Deny(p, "preview this article")
		}
		if a.IsTrashed() {
			return article.ErrTrashed
		}
		return fn(ctx, p, a)
	})
	return wrap(useCase+" of "+articleID, err)
}

// Preview returns the article a preview token opens, as its editors work on it (Working: the
// pending changes, or the draft), on the public API and without a principal. ref is what the
// request names: the article's id, its slug or the slug of its pending changes; a token for another
// article, or an unknown, expired or revoked one, is article.ErrInvalidPreviewToken (401). It never
// reads or fills the cache.
func (s *Service) Preview(ctx context.Context, token, ref string) (ArticleDetail, error) {
	const useCase = "preview article"
	hash, ok := s.previews.Secrets.HashPreviewSecret(token)
	if !ok {
		return ArticleDetail{}, wrap(useCase, article.ErrInvalidPreviewToken)
	}
	t, err := s.previews.Tokens.GetByHash(ctx, hash)
	if err != nil {
		return ArticleDetail{}, wrap(useCase, err)
	}
	if !t.Active(s.clock.Now()) {
		return ArticleDetail{}, wrap(useCase, article.ErrInvalidPreviewToken)
	}
	d, err := s.reads.GetArticle(ctx, t.ArticleID())
	if errors.Is(err, article.ErrNotFound) {
		return ArticleDetail{}, wrap(useCase, article.ErrInvalidPreviewToken)
	}
	if err != nil {
		return ArticleDetail{}, wrap(useCase, err)
	}
	if ref != d.ID && ref != d.Slug && (d.Pending == nil || ref != d.Pending.Slug) {
		return ArticleDetail{}, wrap(useCase, article.ErrInvalidPreviewToken)
	}
	if d.TrashedAt != nil {
		return ArticleDetail{}, wrap(useCase, article.ErrNotFound)
	}
	return d.Working(), nil
}
