package shared

// Version counts the changes of an aggregate; it starts at 1 and guards optimistic concurrency.
type Version int64
