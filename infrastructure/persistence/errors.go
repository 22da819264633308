package persistence

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// IsNotFound reports whether err means no row matched.
func IsNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }

// UniqueViolation reports whether err is a unique-constraint violation and, when the driver says,
// which constraint or column list it was (PostgreSQL: the constraint name; SQLite: "table.column").
func UniqueViolation(err error) (string, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.ConstraintName, pgErr.Code == "23505"
	}
	if err != nil {
		const marker = "UNIQUE constraint failed: "
		if i := strings.Index(err.Error(), marker); i >= 0 {
			return err.Error()[i+len(marker):], true
		}
	}
	return "", false
}

// ForeignKeyViolation reports whether err is a foreign-key violation on either driver.
func ForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23503"
	}
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}

// staleOrGone explains an update or delete of table guarded by a version that matched no row, with
// one read: the row is gone (gone is returned) or another change got there first (a version
// conflict carrying the current version, so the caller need not read it again).
func staleOrGone(ctx context.Context, db *DB, table, id string, gone error) error {
	var versions []int64
	if err := db.Conn(ctx).Table(table).Where("id = ?", id).Pluck("version", &versions).Error; err != nil {
		return fmt.Errorf("read current version: %w", err)
	}
	if len(versions) == 0 {
		return gone
	}
	return shared.VersionConflict(shared.Version(versions[0]))
}
