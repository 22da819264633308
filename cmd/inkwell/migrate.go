package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
)

func newMigrateCommand(flags *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply, roll back or list the database migrations",
		Long:  "The SQL migrations are embedded in the binary; they run against database.url (INKWELL_DATABASE_URL).",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageError{errNeedsSubcommand("migrate", "up", "down", "status")}
		},
	}
	withMigrator := func(fn func(cmd *cobra.Command, m *persistence.Migrator) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, _ []string) error {
			cfg, log, err := flags.load()
			if err != nil {
				return err
			}
			m, cleanup, err := newMigrator(cfg, log)
			if err != nil {
				return err
			}
			defer cleanup()
			return fn(cmd, m)
		}
	}
	cmd.AddCommand(
		&cobra.Command{
			Use: "up", Short: "Apply every pending migration", Args: exactArgs(0),
			RunE: withMigrator(func(cmd *cobra.Command, m *persistence.Migrator) error {
				n, err := m.Up(cmd.Context())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "applied %d migration(s)\n", n)
				return nil
			}),
		},
		&cobra.Command{
			Use: "down", Short: "Roll back the latest applied migration", Args: exactArgs(0),
			RunE: withMigrator(func(cmd *cobra.Command, m *persistence.Migrator) error {
				st, err := m.Down(cmd.Context())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "rolled back %d %s\n", st.Version, st.Name)
				return nil
			}),
		},
		&cobra.Command{
			Use: "status", Short: "List the migrations and whether each is applied", Args: exactArgs(0),
			RunE: withMigrator(func(cmd *cobra.Command, m *persistence.Migrator) error {
				states, err := m.Status(cmd.Context())
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "%-8s %-9s %s\n", "VERSION", "STATE", "NAME")
				for _, s := range states {
					state := "pending"
					if s.Applied {
						state = "applied"
					}
					fmt.Fprintf(out, "%-8d %-9s %s\n", s.Version, state, strings.TrimSuffix(s.Name, ".sql"))
				}
				return nil
			}),
		},
	)
	return cmd
}
