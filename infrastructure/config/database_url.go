package config

import (
	"fmt"
	"net/url"
	"strings"
)

// Dialect is the SQL database flavour.
type Dialect string

const (
	DialectSQLite   Dialect = "sqlite"
	DialectPostgres Dialect = "postgres"
)

// DatabaseURL is a parsed database URL: sqlite:PATH or postgres(ql)://….
type DatabaseURL struct {
	Dialect Dialect
	DSN     string // file path for SQLite, the URL itself for PostgreSQL
}

// ParseDatabaseURL accepts sqlite:PATH (sqlite://PATH too) and postgres:// or postgresql:// URLs.
func ParseDatabaseURL(raw string) (DatabaseURL, error) {
	switch {
	case strings.HasPrefix(raw, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "//")
		if path == "" {
			return DatabaseURL{}, fmt.Errorf("sqlite URL needs a file path, e.g. sqlite:data/inkwell.db")
		}
		return DatabaseURL{Dialect: DialectSQLite, DSN: path}, nil
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return DatabaseURL{}, fmt.Errorf("not a valid postgres URL %q", redact(raw))
		}
		return DatabaseURL{Dialect: DialectPostgres, DSN: raw}, nil
	default:
		return DatabaseURL{}, fmt.Errorf("unsupported database URL %q (use sqlite:PATH or postgres://…)", redact(raw))
	}
}

// redact hides a password in a URL before it reaches a message.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
