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

// validateReplicas accepts replicas only behind a PostgreSQL primary, each a postgres:// URL.
func validateReplicas(db Database) error {
	if len(db.ReplicaURLs) == 0 {
		return nil
	}
	if primary, _ := ParseDatabaseURL(db.URL); primary.Dialect != DialectPostgres {
		return fmt.Errorf("read replicas need a PostgreSQL primary (database.url is %s): unset it", primary.Dialect)
	}
	for _, raw := range db.ReplicaURLs {
		if r, err := ParseDatabaseURL(raw); err != nil || r.Dialect != DialectPostgres {
			return fmt.Errorf("not a postgres:// URL: %q", redact(raw))
		}
	}
	if db.ReplicaPoll <= 0 {
		return fmt.Errorf("database.replica_poll must be positive, got %s", db.ReplicaPoll)
	}
	return nil
}

// Redact hides a password in a database URL, for logs and metric labels.
func Redact(raw string) string { return redact(raw) }

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
