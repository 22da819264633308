// Package identity holds users, their roles and their API tokens.
package identity

import "github.com/inkwell-cms/inkwell/domain/shared"

// Role is what a user may do, as DESIGN.md defines it.
type Role string

const (
	RoleAdmin       Role = "admin"       // everything
	RoleEditor      Role = "editor"      // all content and tags, publish anything
	RoleAuthor      Role = "author"      // create, edit and publish own articles, read all
	RoleContributor Role = "contributor" // create and edit own drafts, cannot publish
	RoleViewer      Role = "viewer"      // read everything incl. drafts, write nothing
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleEditor, RoleAuthor, RoleContributor, RoleViewer}

// ErrUnknownRole is returned for a role name that does not exist.
var ErrUnknownRole = shared.Validation(shared.FieldError{Field: "role", Message: "must be one of admin, editor, author, contributor, viewer"})

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", ErrUnknownRole
}
