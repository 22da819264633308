package persistence

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"
	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"

	"github.com/inkwell-cms/inkwell/infrastructure/logging"
)

// GormLogger sends GORM's logs through zap. Failed queries are not logged here: the error travels up
// and is logged once where it is handled. Slow queries are, at warn, because no caller sees them.
type GormLogger struct {
	log  *zap.Logger
	slow time.Duration
}

// NewGormLogger returns a GORM logger writing to log, warning about queries slower than slow.
func NewGormLogger(log *zap.Logger, slow time.Duration) *GormLogger {
	return &GormLogger{log: log.Named("sql"), slow: slow}
}

// LogMode is part of gorm's interface; the level comes from zap instead.
func (l *GormLogger) LogMode(gormlogger.LogLevel) gormlogger.Interface { return l }

// Info logs GORM's informational messages at debug.
func (l *GormLogger) Info(ctx context.Context, msg string, args ...any) {
	logging.FromContext(ctx, l.log).Debug(fmt.Sprintf(msg, args...))
}

// Warn logs GORM's warnings.
func (l *GormLogger) Warn(ctx context.Context, msg string, args ...any) {
	logging.FromContext(ctx, l.log).Warn(fmt.Sprintf(msg, args...))
}

// Error logs GORM's own errors (not failed queries, which are returned).
func (l *GormLogger) Error(ctx context.Context, msg string, args ...any) {
	logging.FromContext(ctx, l.log).Error(fmt.Sprintf(msg, args...))
}

// ParamsFilter drops the bound values from logged SQL, which keeps its placeholders: values include
// what must never reach a log (webhook signing secrets, stored responses that carry them, e-mail
// addresses), and slow-query warnings are logged in production. GORM's Scan logs through a recorder
// that skips this filter, so values that must stay secret are never read or written with Raw…Scan.
func (l *GormLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

// Trace is called after every query.
func (l *GormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	slow := l.slow > 0 && elapsed >= l.slow
	if !slow && !l.log.Core().Enabled(zap.DebugLevel) {
		return
	}
	sql, rows := fc()
	fields := []zap.Field{zap.Duration("duration", elapsed), zap.Int64("rows", rows), zap.String("sql", truncateSQL(sql))}
	log := logging.FromContext(ctx, l.log)
	switch {
	case slow:
		log.Warn("slow query", fields...)
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound):
		log.Debug("query failed", append(fields, zap.String("error", err.Error()))...)
	default:
		log.Debug("query", fields...)
	}
}

// maxLoggedSQL keeps a log line readable: a bulk INSERT's text can be megabytes, and the values in
// it are content, not diagnosis.
const maxLoggedSQL = 600

func truncateSQL(sql string) string {
	if len(sql) <= maxLoggedSQL {
		return sql
	}
	return sql[:maxLoggedSQL] + fmt.Sprintf("… (%d bytes)", len(sql))
}
