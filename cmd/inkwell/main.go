// Command inkwell is the Inkwell headless CMS: the API server and its admin commands.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/logging"
)

// Exit codes a script can act on.
const (
	exitOK     = 0
	exitFailed = 1 // the command ran and failed (database down, port taken…)
	exitUsage  = 2 // bad flag or bad setting: fix the invocation
)

// usageError marks an error the user fixes by changing the command or the settings.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int { return runWith(args, os.Stdout, os.Stderr) }

// runWith runs the command line args with its output going to stdout and stderr (tests capture them).
func runWith(args []string, stdout, stderr io.Writer) int {
	root := newRootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "inkwell:", err)
	var ue usageError
	var ce *config.Error
	if errors.As(err, &ue) || errors.As(err, &ce) {
		return exitUsage
	}
	return exitFailed
}

// globalFlags are shared by every sub-command.
type globalFlags struct {
	configPath string
}

func newRootCommand() *cobra.Command {
	flags := &globalFlags{}
	root := &cobra.Command{
		Use:   "inkwell",
		Short: "Inkwell is a headless CMS: editorial content served as a JSON REST API",
		Long: `Inkwell stores articles, tags and authors and serves them as a JSON REST API.

With no configuration it uses an embedded SQLite file (data/inkwell.db). Set
INKWELL_DATABASE_URL=postgres://… for PostgreSQL and INKWELL_REDIS_URL=redis://… for a
shared cache. Every setting is listed in configs/inkwell.yaml and can be set by an
INKWELL_* environment variable.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&flags.configPath, "config", os.Getenv("INKWELL_CONFIG"),
		"YAML settings file (default: none, built-in defaults; env INKWELL_CONFIG)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newServeCommand(flags),
		newMigrateCommand(flags),
		newVersionCommand(),
		newConfigCommand(flags),
		newUserCommand(flags),
		newTokenCommand(flags),
		newHealthcheckCommand(),
		newSeedCommand(flags),
	)
	return root
}

// load reads the settings and builds the logger every command starts with.
func (f *globalFlags) load() (*config.Config, *zap.Logger, error) {
	cfg, err := config.LoadFromEnvironment(f.configPath)
	if err != nil {
		return nil, nil, err
	}
	log, err := logging.New(cfg.Log)
	if err != nil {
		return nil, nil, usageError{err}
	}
	return cfg, log, nil
}

// exactArgs is cobra.ExactArgs returning a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

func errNeedsSubcommand(cmd string, subs ...string) error {
	return fmt.Errorf("%s needs a sub-command: %s", cmd, strings.Join(subs, ", "))
}
