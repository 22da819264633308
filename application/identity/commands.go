package identity

import (
	"time"

	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// CreateUser is the input of Service.CreateUser.
type CreateUser struct {
	Email, Name, Role string
	Bio, AvatarURL    string
}

// UpdateUser is a merge patch of a user: a nil field is left as it is. IfMatch, when set, is the
// version the caller last saw; a stale one is a version conflict. It is optional for users (unlike
// articles and tags) because user changes are rare, admin-only and field-by-field.
type UpdateUser struct {
	Name, Role, Bio, AvatarURL *string
	Disabled                   *bool
	IfMatch                    *shared.Version
}

// CreateToken is the input of Service.CreateToken. UserID "" means the caller's own user.
type CreateToken struct {
	UserID    string
	Name      string
	ReadOnly  bool
	ExpiresAt *time.Time
}

// ListTokens narrows a token list to one user ("" for the caller's own, or everyone's for an admin).
type ListTokens struct {
	UserID string
	Page   listing.Request
}
