package articlehttp

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

func (h *Handler) create(c *gin.Context) {
	var req createRequest
	if err := bind.JSON(c, &req); err != nil {
		problem.Respond(c, err)
		return
	}
	d, err := h.svc.Create(c.Request.Context(), createCommand(req))
	if err != nil {
		problem.Respond(c, err)
		return
	}
	c.Header("Location", "/api/v1/admin/articles/"+d.ID)
	writeAdmin(c, http.StatusCreated, d)
}

func (h *Handler) get(c *gin.Context) {
	d, err := h.svc.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		problem.Respond(c, err)
		return
	}
	writeAdmin(c, http.StatusOK, d)
}

// update applies a JSON merge patch to the version named by If-Match.
func (h *Handler) update(c *gin.Context) {
	expected, err := httpcache.IfMatch(c)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	cmd, err := decodePatch(c)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	d, err := h.svc.Update(c.Request.Context(), c.Param("id"), expected, cmd)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	writeAdmin(c, http.StatusOK, d)
}

// trash moves the article to the trash (DELETE); POST …/restore brings it back.
func (h *Handler) trash(c *gin.Context) {
	expected, err := httpcache.IfMatch(c)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	if err := h.svc.Trash(c.Request.Context(), c.Param("id"), expected); err != nil {
		problem.Respond(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// restoreFromTrash needs no If-Match: a trashed article cannot change, so there is nothing to lose.
func (h *Handler) restoreFromTrash(c *gin.Context) {
	if err := emptyBody(c); err != nil {
		problem.Respond(c, err)
		return
	}
	d, err := h.svc.RestoreFromTrash(c.Request.Context(), c.Param("id"))
	if err != nil {
		problem.Respond(c, err)
		return
	}
	writeAdmin(c, http.StatusOK, d)
}

// act runs a workflow or staged-change action; schedule and schedule-changes take
// {"publish_at": "…"}, the others no body.
func (h *Handler) act(c *gin.Context) {
	action, err := articleapp.ParseAction(c.Param("action"))
	if err != nil {
		problem.Respond(c, err)
		return
	}
	expected, err := httpcache.IfMatch(c)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	var publishAt *time.Time
	if action == articleapp.ActionSchedule || action == articleapp.ActionScheduleChanges {
		publishAt, err = schedule(c)
	} else {
		err = emptyBody(c)
	}
	if err != nil {
		problem.Respond(c, err)
		return
	}
	d, err := h.svc.Act(c.Request.Context(), c.Param("id"), expected, action, publishAt)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	writeAdmin(c, http.StatusOK, d)
}

func schedule(c *gin.Context) (*time.Time, error) {
	var req scheduleRequest
	if err := bind.JSON(c, &req); err != nil {
		return nil, err
	}
	if req.PublishAt == nil {
		return nil, shared.Validation(shared.FieldError{Field: "publish_at", Message: "is required"})
	}
	at, err := time.Parse(time.RFC3339, *req.PublishAt)
	if err != nil {
		return nil, shared.Validation(shared.FieldError{Field: "publish_at", Message: "must be an RFC 3339 time such as 2030-01-31T09:00:00Z"})
	}
	at = at.UTC()
	return &at, nil
}

// emptyBody accepts no body or an empty JSON object, so a stray field is refused, not ignored.
func emptyBody(c *gin.Context) error {
	if c.Request.Body == nil || c.Request.ContentLength == 0 {
		return nil
	}
	raw, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return err // the body limit's *http.MaxBytesError is a 413
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(raw))
	var none struct{}
	return bind.JSON(c, &none)
}
