package authz

import (
	"context"

	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// The policies below are pure functions of the principal (and, for ownership, of the resource's
// owner and state). They answer DESIGN.md's roles:
//
//	admin        everything
//	editor       all content and tags, publish anything
//	author       create, edit and publish own articles; read all
//	contributor  create and edit own drafts; cannot publish
//	viewer       read everything incl. drafts; write nothing
//
// A read-only token may only read, whatever its user's role. Every principal may read the
// management API and manage its own tokens (unless read-only).

// canWrite is the gate every write passes first.
func canWrite(p Principal) bool { return !p.ReadOnly }

func isAny(p Principal, roles ...identity.Role) bool {
	for _, r := range roles {
		if p.Role == r {
			return true
		}
	}
	return false
}

// CanRead allows reading the management API (articles of every status, tags, revisions).
func CanRead(p Principal) bool {
	return isAny(p, identity.Roles...)
}

// CanCreateArticle allows creating a draft (which the principal then owns).
func CanCreateArticle(p Principal) bool {
	return canWrite(p) && isAny(p, identity.RoleAdmin, identity.RoleEditor, identity.RoleAuthor, identity.RoleContributor)
}

// CanEditArticle allows changing, trashing or restoring an article owned by authorID; draft says
// whether it is a draft now. Contributors may only touch their own drafts.
func CanEditArticle(p Principal, authorID string, draft bool) bool {
	if !canWrite(p) {
		return false
	}
	switch p.Role {
	case identity.RoleAdmin, identity.RoleEditor:
		return true
	case identity.RoleAuthor:
		return owns(p, authorID)
	case identity.RoleContributor:
		return owns(p, authorID) && draft
	default:
		return false
	}
}

// CanPublish allows the workflow actions that make an article public or take it down (publish,
// schedule, unpublish, archive) on an article owned by authorID.
func CanPublish(p Principal, authorID string) bool {
	if !canWrite(p) {
		return false
	}
	switch p.Role {
	case identity.RoleAdmin, identity.RoleEditor:
		return true
	case identity.RoleAuthor:
		return owns(p, authorID)
	default:
		return false
	}
}

// CanManageTags allows creating, changing and deleting tags.
func CanManageTags(p Principal) bool {
	return canWrite(p) && isAny(p, identity.RoleAdmin, identity.RoleEditor)
}

// CanListUsers allows reading user accounts (emails, roles): admins only, read-only tokens included.
func CanListUsers(p Principal) bool { return p.Role == identity.RoleAdmin }

// CanManageUsers allows creating users and changing their role, profile or disabled flag.
func CanManageUsers(p Principal) bool { return canWrite(p) && p.Role == identity.RoleAdmin }

// CanManageWebhooks allows every webhook endpoint action.
func CanManageWebhooks(p Principal) bool { return canWrite(p) && p.Role == identity.RoleAdmin }

// CanSeeTokensOf allows listing the tokens of ownerID ("" means every user's).
func CanSeeTokensOf(p Principal, ownerID string) bool {
	return p.Role == identity.RoleAdmin || (ownerID != "" && owns(p, ownerID))
}

// CanManageTokensOf allows issuing or revoking a token of ownerID: one's own, or anyone's for an admin.
func CanManageTokensOf(p Principal, ownerID string) bool {
	return canWrite(p) && (p.Role == identity.RoleAdmin || owns(p, ownerID))
}

// owns is false for the System principal, which has no user: it acts through its admin role.
func owns(p Principal, ownerID string) bool { return p.UserID != "" && p.UserID == ownerID }

// Require returns the principal in ctx, or shared.ErrUnauthorized when there is none (a use case
// reached without authentication is refused, never run as nobody).
func Require(ctx context.Context) (Principal, error) {
	p, ok := PrincipalFrom(ctx)
	if !ok {
		return Principal{}, shared.ErrUnauthorized
	}
	return p, nil
}

// RequireReader returns the principal in ctx when it may read the management API (CanRead), else
// the 401 or 403 that says why not: the first check of every management read.
func RequireReader(ctx context.Context) (Principal, error) {
	p, err := Require(ctx)
	if err != nil {
		return p, err
	}
	if !CanRead(p) {
		return p, Deny(p, "read content")
	}
	return p, nil
}

// Deny is the 403 for p attempting action (e.g. "manage users"), telling a read-only token apart from
// a role that is too weak, so the caller knows what to change.
func Deny(p Principal, action string) error {
	if p.ReadOnly {
		return shared.ErrForbidden.WithMessage("this token is read-only: it may not %s", action)
	}
	return shared.ErrForbidden.WithMessage("the %s role may not %s", p.Role, action)
}
