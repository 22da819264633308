package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

func newServeCommand(flags *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the API server (and its background workers) until SIGINT or SIGTERM",
		Long: `Run the API server. On start it applies pending migrations (database.auto_migrate),
then listens on http.addr (INKWELL_HTTP_ADDR, default 127.0.0.1:8080).

On SIGINT or SIGTERM it stops accepting connections, lets in-flight requests finish within
http.shutdown_timeout, stops the background workers, closes the database and exits 0.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, log, err := flags.load()
			if err != nil {
				return err
			}
			defer func() { _ = log.Sync() }()
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			return serve(ctx, cfg.HTTP.ShutdownTimeout, cfg.Database.AutoMigrate, newAppFunc(cfg, log), log)
		},
	}
}

func newAppFunc(cfg *config.Config, log *zap.Logger) func() (*App, func(), error) {
	return func() (*App, func(), error) { return newApp(cfg, log) }
}

// serve builds the app, migrates, listens, and on ctx's end drains and shuts down in order: HTTP
// first (no new work), then background workers, then the database (by cleanup).
func serve(ctx context.Context, shutdownTimeout time.Duration, migrate bool, build func() (*App, func(), error), log *zap.Logger) error {
	app, cleanup, err := build()
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	defer cleanup()
	if migrate {
		n, err := app.Migrator.Up(ctx)
		if err != nil {
			return fmt.Errorf("start: %w", err)
		}
		log.Info("migrations applied", zap.Int("count", n), zap.String("dialect", string(app.DB.Dialect)))
	}

	listener, err := net.Listen("tcp", app.Server.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another server running? set INKWELL_HTTP_ADDR)", app.Server.Addr, err)
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- app.Server.Serve(listener) }()
	workerCtx, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWorkers()
	workersDone := startWorkers(workerCtx, app.Workers, log)
	log.Info("inkwell listening", zap.String("addr", listener.Addr().String()),
		zap.String("dialect", string(app.DB.Dialect)), zap.String("version", version()))

	select {
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", zap.Duration("timeout", shutdownTimeout))
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := app.Server.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: in-flight requests did not finish in %s: %w", shutdownTimeout, err)
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http server: %w", err)
	}
	stopWorkers()
	select {
	case <-workersDone:
	case <-shutdownCtx.Done():
		return fmt.Errorf("shutdown: background workers did not stop in %s", shutdownTimeout)
	}
	log.Info("stopped cleanly")
	return nil
}

// startWorkers runs every worker until ctx ends; the returned channel closes when all have returned.
// A worker that fails is logged here, where its error is handled, and the others go on.
func startWorkers(ctx context.Context, workers []Worker, log *zap.Logger) <-chan struct{} {
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.Run(ctx); err != nil && ctx.Err() == nil {
				log.Error("background worker stopped", zap.String("worker", w.Name), zap.Error(err))
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	return done
}
