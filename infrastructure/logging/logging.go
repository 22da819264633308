// Package logging builds the zap logger and adds request-scoped fields to it.
package logging

import (
	"context"
	"fmt"
	"io"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/inkwell-cms/inkwell/application/reqctx"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// New builds the process logger from the log settings, writing to standard error.
func New(cfg config.Log) (*zap.Logger, error) {
	return NewTo(cfg, os.Stderr)
}

// NewTo builds a logger writing to w (tests pass a buffer).
func NewTo(cfg config.Log, w io.Writer) (*zap.Logger, error) {
	level, err := zapcore.ParseLevel(cfg.Level)
	if err != nil {
		return nil, fmt.Errorf("logging: %w", err)
	}
	encCfg := zap.NewProductionEncoderConfig()
	encCfg.TimeKey = "ts"
	encCfg.EncodeTime = zapcore.RFC3339NanoTimeEncoder
	encCfg.EncodeDuration = zapcore.MillisDurationEncoder
	var enc zapcore.Encoder
	if cfg.Format == "console" {
		encCfg.EncodeLevel = zapcore.CapitalColorLevelEncoder
		enc = zapcore.NewConsoleEncoder(encCfg)
	} else {
		enc = zapcore.NewJSONEncoder(encCfg)
	}
	core := zapcore.NewCore(enc, zapcore.AddSync(w), level)
	return zap.New(core, zap.ErrorOutput(zapcore.AddSync(w))), nil
}

// FromContext returns base with the request id of ctx (when there is one) as a field, so every log
// line written while handling a request can be joined to its access-log line.
func FromContext(ctx context.Context, base *zap.Logger) *zap.Logger {
	if id := reqctx.RequestID(ctx); id != "" {
		return base.With(zap.String("request_id", id))
	}
	return base
}
