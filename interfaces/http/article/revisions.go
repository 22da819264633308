package articlehttp

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
	"github.com/inkwell-cms/inkwell/interfaces/http/paging"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// revisions lists a page of an article's revisions, newest first, without bodies.
func (h *Handler) revisions(c *gin.Context) {
	r, err := paging.Parse(c, articleapp.RevisionOrder)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	page, err := h.svc.Revisions(c.Request.Context(), c.Param("id"), r)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	c.JSON(http.StatusOK, paging.Of(page, toRevisionSummary))
}

func (h *Handler) revision(c *gin.Context) {
	n, err := revisionNumber(c)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	r, err := h.svc.Revision(c.Request.Context(), c.Param("id"), n)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	c.JSON(http.StatusOK, toRevision(r))
}

// restoreRevision makes a new change whose content is the revision's; the status stays.
func (h *Handler) restoreRevision(c *gin.Context) {
	n, err := revisionNumber(c)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	expected, err := httpcache.IfMatch(c)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	if err := emptyBody(c); err != nil {
		problem.Respond(c, err)
		return
	}
	d, err := h.svc.RestoreRevision(c.Request.Context(), c.Param("id"), n, expected)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	writeAdmin(c, http.StatusOK, d)
}

// revisionNumber reads {number}; anything but a positive number names no revision.
func revisionNumber(c *gin.Context) (int, error) {
	n, err := strconv.Atoi(c.Param("number"))
	if err != nil || n < 1 {
		return 0, article.ErrRevisionNotFound
	}
	return n, nil
}

func toRevisionSummary(r articleapp.RevisionSummary) revisionSummaryResponse {
	return revisionSummaryResponse{
		Number: r.Number, Title: r.Title, Status: string(r.Status), Version: int64(r.Version),
		EditorID: r.EditorID, CreatedAt: r.CreatedAt, Pending: r.Pending,
	}
}

func toRevision(r articleapp.RevisionDetail) revisionResponse {
	return revisionResponse{
		revisionSummaryResponse: toRevisionSummary(r.RevisionSummary),
		Excerpt:                 r.Excerpt, BodyMarkdown: r.BodyMarkdown, CoverImageURL: r.CoverImageURL,
		MetaTitle: r.MetaTitle, MetaDescription: r.MetaDescription, Tags: toTagRefs(r.Tags),
		Featured: r.Featured, SEO: toSEOFields(r.SEO),
	}
}
