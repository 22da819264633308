package config

import (
	"fmt"
	"net/url"
	"strings"
)

// validatePreview checks the preview settings: positive token lifetimes, the default within the
// maximum, and a preview URL template that is an absolute http(s) URL placing the token.
func (c *Config) validatePreview() error {
	bad := func(setting, format string, args ...any) error {
		return &Error{Setting: EnvPrefix + setting, Problem: fmt.Sprintf(format, args...)}
	}
	if c.Preview.MaxTokenTTL <= 0 {
		return bad("PREVIEW_MAX_TOKEN_TTL", "must be a positive duration, got %s", c.Preview.MaxTokenTTL)
	}
	if c.Preview.TokenTTL <= 0 || c.Preview.TokenTTL > c.Preview.MaxTokenTTL {
		return bad("PREVIEW_TOKEN_TTL", "must be positive and at most preview.max_token_ttl (%s), got %s", c.Preview.MaxTokenTTL, c.Preview.TokenTTL)
	}
	if t := c.Site.PreviewURL; t != "" {
		u, err := url.Parse(strings.NewReplacer("{token}", "t", "{slug}", "s", "{id}", "i").Replace(t))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.Contains(t, "{token}") {
			return bad("SITE_PREVIEW_URL", "must be an absolute http or https URL containing {token} (and optionally {slug}, {id}), got %q", t)
		}
	}
	return nil
}
