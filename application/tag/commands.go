package tag

// CreateTag is the input of Service.Create; an empty Slug is derived from the name.
type CreateTag struct {
	Name, Slug, Description string
}

// UpdateTag is a merge patch of a tag: a nil field is left as it is; a Slug pointing to "" derives
// a fresh one from the name.
type UpdateTag struct {
	Name, Slug, Description *string
}
