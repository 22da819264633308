package taghttp

import (
	"time"

	tagapp "github.com/inkwell-cms/inkwell/application/tag"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
)

type createRequest struct {
	Name        string `json:"name"`
	Slug        string `json:"slug"`
	Description string `json:"description"`
}

// patchRequest is a JSON merge patch: null clears the description and derives the slug again from
// the name; the name cannot be cleared.
type patchRequest struct {
	Name        bind.Optional[string] `json:"name"`
	Slug        bind.Optional[string] `json:"slug"`
	Description bind.Optional[string] `json:"description"`
}

// publicTagResponse is a tag on the public API.
type publicTagResponse struct {
	ID           string `json:"id"`
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	ArticleCount int    `json:"article_count"`
}

// tagResponse is a tag on the management API: with its version and timestamps.
type tagResponse struct {
	publicTagResponse
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toPublic(v tagapp.TagView) publicTagResponse {
	return publicTagResponse{ID: v.ID, Slug: v.Slug, Name: v.Name, Description: v.Description, ArticleCount: v.ArticleCount}
}

func toAdmin(v tagapp.TagView) tagResponse {
	return tagResponse{publicTagResponse: toPublic(v), Version: int64(v.Version), CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
}

func clearable(o bind.Optional[string]) *string {
	if !o.Set {
		return nil
	}
	s := o.Value
	return &s
}
