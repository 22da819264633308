package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// withAdminCLI runs fn against the configured database (server running or not) as the System
// principal: whoever can run the binary with the database settings already controls the data.
// Pending migrations are applied first when database.auto_migrate is on, as serve does.
func withAdminCLI(flags *globalFlags, fn func(ctx context.Context, cmd *cobra.Command, cli *adminCLI) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		cfg, log, err := flags.load()
		if err != nil {
			return err
		}
		defer func() { _ = log.Sync() }()
		cli, cleanup, err := newAdminCLI(cfg, log)
		if err != nil {
			return err
		}
		defer cleanup()
		if cfg.Database.AutoMigrate {
			if _, err := cli.Migrator.Up(cmd.Context()); err != nil {
				return err
			}
		}
		return explain(fn(authz.WithPrincipal(cmd.Context(), authz.System), cmd, cli))
	}
}

// explain turns a domain error into a message for a person: the client-safe message and the fields
// it names as flags. Invalid input is a usage error (exit 2); anything else stays a failure (exit 1).
func explain(err error) error {
	var de *shared.Error
	if err == nil || !errors.As(err, &de) {
		return err
	}
	msg := de.Message
	for _, f := range de.Fields {
		msg += fmt.Sprintf("\n  --%s: %s", strings.ReplaceAll(f.Field, "_", "-"), f.Message)
	}
	if de.Kind == shared.KindInvalid || de.Kind == shared.KindMalformed {
		return usageError{errors.New(msg)}
	}
	return errors.New(msg)
}

// requireFlags is a usage error naming the first of names that was not given.
func requireFlags(cmd *cobra.Command, names ...string) error {
	for _, n := range names {
		if !cmd.Flags().Changed(n) {
			return usageError{fmt.Errorf("%s needs --%s", cmd.CommandPath(), n)}
		}
	}
	return nil
}
