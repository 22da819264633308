package identityhttp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
	"github.com/inkwell-cms/inkwell/interfaces/http/paging"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

func (h *Handler) createUser(c *gin.Context) {
	var req createUserRequest
	if err := bind.JSON(c, &req); err != nil {
		problem.Respond(c, err)
		return
	}
	u, err := h.svc.CreateUser(c.Request.Context(), identityapp.CreateUser{
		Email: req.Email, Name: req.Name, Role: req.Role, Bio: req.Bio, AvatarURL: req.AvatarURL,
	})
	if err != nil {
		problem.Respond(c, err)
		return
	}
	c.Header("Location", "/api/v1/admin/users/"+u.ID)
	httpcache.SetVersionETag(c, u.Version)
	c.JSON(http.StatusCreated, toUser(u))
}

func (h *Handler) listUsers(c *gin.Context) {
	r, err := paging.Parse(c, identityapp.UserOrder)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	page, err := h.svc.ListUsers(c.Request.Context(), r)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	c.JSON(http.StatusOK, paging.Of(page, toUser))
}

func (h *Handler) getUser(c *gin.Context) {
	u, err := h.svc.GetUser(c.Request.Context(), c.Param("id"))
	if err != nil {
		problem.Respond(c, err)
		return
	}
	httpcache.SetVersionETag(c, u.Version)
	c.JSON(http.StatusOK, toUser(u))
}

// updateUser applies a JSON merge patch. If-Match is optional here (see identityapp.UpdateUser).
func (h *Handler) updateUser(c *gin.Context) {
	var req updateUserRequest
	if err := bind.JSON(c, &req); err != nil {
		problem.Respond(c, err)
		return
	}
	version, conditional, err := httpcache.OptionalIfMatch(c)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	var ifMatch *shared.Version
	if conditional {
		ifMatch = &version
	}
	cmd, err := updateCommand(req, ifMatch)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	u, err := h.svc.UpdateUser(c.Request.Context(), c.Param("id"), cmd)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	httpcache.SetVersionETag(c, u.Version)
	c.JSON(http.StatusOK, toUser(u))
}

// updateCommand maps the patch: null clears bio and avatar_url; name, role and disabled cannot be
// cleared, so null there is a field error.
func updateCommand(req updateUserRequest, ifMatch *shared.Version) (identityapp.UpdateUser, error) {
	var cmd identityapp.UpdateUser
	var v shared.Validator
	required := func(field string, o bind.Optional[string]) *string {
		v.Check(!o.Null, field, "must not be null")
		if o.Set && !o.Null {
			return &o.Value
		}
		return nil
	}
	clearable := func(o bind.Optional[string]) *string {
		if o.Set {
			return &o.Value // Value is "" for null
		}
		return nil
	}
	cmd.Name = required("name", req.Name)
	cmd.Role = required("role", req.Role)
	cmd.Bio = clearable(req.Bio)
	cmd.AvatarURL = clearable(req.AvatarURL)
	v.Check(!req.Disabled.Null, "disabled", "must not be null")
	if req.Disabled.Set && !req.Disabled.Null {
		cmd.Disabled = &req.Disabled.Value
	}
	if err := v.Err(); err != nil {
		return cmd, err
	}
	cmd.IfMatch = ifMatch
	return cmd, nil
}
