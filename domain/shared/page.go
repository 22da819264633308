package shared

// IDPage asks a repository for one page of a list in id order (ids are UUIDv7, so that is creation
// order): the items after AfterID ("" for the first page), at most Limit of them. An AfterID no row
// can have (a forged cursor) yields an empty page.
type IDPage struct {
	AfterID string
	Limit   int
}
