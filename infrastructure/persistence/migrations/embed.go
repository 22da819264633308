// Package migrations embeds the versioned SQL migrations, one folder per dialect: the schemas differ
// where the engines do (full-text search, JSON, locking), and the version numbers stay in step.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
