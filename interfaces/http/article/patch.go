package articlehttp

import (
	"github.com/gin-gonic/gin"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
)

// decodePatch reads a JSON merge patch of an article (application/json or
// application/merge-patch+json) into the update command. Malformed JSON, unknown fields, a wrong
// type or a body that is not an object are 400; null on a field that cannot be cleared is 422.
func decodePatch(c *gin.Context) (articleapp.UpdateArticle, error) {
	var req *patchRequest
	if err := bind.JSON(c, &req); err != nil {
		return articleapp.UpdateArticle{}, err
	}
	if req == nil {
		return articleapp.UpdateArticle{}, shared.Malformed(bind.CodeInvalidJSON, "the body must be a JSON object (a merge patch)")
	}
	return updateCommand(*req)
}

// updateCommand maps the patch: null clears (to "", which derives the slug and excerpt again, and
// to no tags); title is required, so null there is a field error.
func updateCommand(req patchRequest) (articleapp.UpdateArticle, error) {
	var v shared.Validator
	v.Check(!req.Title.Null, "title", "must not be null")
	if err := v.Err(); err != nil {
		return articleapp.UpdateArticle{}, err
	}
	cmd := articleapp.UpdateArticle{
		Title:           clearable(req.Title),
		Slug:            clearable(req.Slug),
		Excerpt:         clearable(req.Excerpt),
		BodyMarkdown:    clearable(req.BodyMarkdown),
		CoverImageURL:   clearable(req.CoverImageURL),
		MetaTitle:       clearable(req.MetaTitle),
		MetaDescription: clearable(req.MetaDescription),
	}
	cmd.SEO, cmd.Featured = req.changes()
	if req.Tags.Set {
		tags := req.Tags.Value
		if tags == nil {
			tags = []string{}
		}
		cmd.Tags = &tags
	}
	return cmd, nil
}

// clearable is nil when absent and points at the value otherwise ("" for null).
func clearable(o bind.Optional[string]) *string {
	if !o.Set {
		return nil
	}
	s := o.Value
	return &s
}
