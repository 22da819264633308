package main

import (
	"context"
	"errors"
	"fmt"
	"io"
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

On the first start against a database without users it creates an admin (admin.email,
INKWELL_ADMIN_EMAIL) and prints its API token once on standard output:
  Admin API token (shown once): ink_…

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
			opts := serveOptions{
				ShutdownTimeout: cfg.HTTP.ShutdownTimeout, Migrate: cfg.Database.AutoMigrate,
				AdminEmail: cfg.Admin.Email, Stdout: cmd.OutOrStdout(), PprofAddr: cfg.Debug.PprofAddr,
				MetricsAddr: cfg.Metrics.Addr,
			}
			return serve(ctx, opts, newAppFunc(cfg, log), log)
		},
	}
}

func newAppFunc(cfg *config.Config, log *zap.Logger) func() (*App, func(), error) {
	return func() (*App, func(), error) { return newApp(cfg, log) }
}

// serveOptions are the settings serve acts on.
type serveOptions struct {
	ShutdownTimeout time.Duration
	Migrate         bool
	AdminEmail      string    // of the admin created on first start
	Stdout          io.Writer // receives the first admin's token, and nothing else
	PprofAddr       string    // of the profiling listener; empty = none
	MetricsAddr     string    // of the metrics listener; empty = none
}

// serve builds the app, migrates, creates the first admin on an empty database, listens, and on
// ctx's end drains and shuts down in order: HTTP first (no new work), then background workers, then
// the database (by cleanup).
func serve(ctx context.Context, opts serveOptions, build func() (*App, func(), error), log *zap.Logger) error {
	app, cleanup, err := build()
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	defer cleanup()
	if opts.Migrate {
		n, err := app.Migrator.Up(ctx)
		if err != nil {
			return fmt.Errorf("start: %w", err)
		}
		log.Info("migrations applied", zap.Int("count", n), zap.String("dialect", string(app.DB.Dialect)))
	}
	if err := bootstrap(ctx, app, opts, log); err != nil {
		return err
	}

	listener, err := net.Listen("tcp", app.Server.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another server running? set INKWELL_HTTP_ADDR)", app.Server.Addr, err)
	}
	for _, side := range []sideListener{
		{name: "metrics", setting: "INKWELL_METRICS_ADDR", server: newMetricsServer(opts.MetricsAddr, app.Metrics.Handler())},
		{name: "pprof", setting: "INKWELL_DEBUG_PPROF_ADDR", server: newPprofServer(opts.PprofAddr), warning: "do not expose publicly"},
	} {
		stop, err := side.start(log)
		if err != nil {
			_ = listener.Close()
			return err
		}
		defer stop()
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
	log.Info("shutting down", zap.Duration("timeout", opts.ShutdownTimeout))
	shutdownCtx, cancel := context.WithTimeout(context.Background(), opts.ShutdownTimeout)
	defer cancel()
	if err := app.Server.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: in-flight requests did not finish in %s: %w", opts.ShutdownTimeout, err)
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http server: %w", err)
	}
	stopWorkers()
	select {
	case <-workersDone:
	case <-shutdownCtx.Done():
		return fmt.Errorf("shutdown: background workers did not stop in %s", opts.ShutdownTimeout)
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

// bootstrap creates the first admin when the database has no user and prints its token once, on
// standard output and never in a log (logs are shipped and kept; the terminal is the operator's).
func bootstrap(ctx context.Context, app *App, opts serveOptions, log *zap.Logger) error {
	res, err := app.Identity.Bootstrap(ctx, opts.AdminEmail)
	if err != nil {
		return fmt.Errorf("start: create the first admin (%s): %w", opts.AdminEmail, err)
	}
	if !res.Created {
		return nil
	}
	log.Info("first start: admin created", zap.String("user_id", res.Admin.ID), zap.String("email", res.Admin.Email),
		zap.String("token_id", res.Token.ID), zap.String("token_prefix", res.Token.Prefix))
	if _, err := fmt.Fprintf(opts.Stdout, "Admin API token (shown once): %s\n", res.Token.Plaintext); err != nil {
		return fmt.Errorf("start: print the admin token: %w", err)
	}
	return nil
}
