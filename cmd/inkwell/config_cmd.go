package main

import (
	"github.com/spf13/cobra"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

func newConfigCommand(flags *globalFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Show settings", Args: exactArgs(0),
		RunE: func(*cobra.Command, []string) error {
			return usageError{errNeedsSubcommand("config", "print")}
		}}
	var defaults bool
	print := &cobra.Command{
		Use:   "print",
		Short: "Print the effective settings as commented YAML (secrets included: do not paste it publicly)",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg := config.Default()
			if !defaults {
				loaded, err := config.LoadFromEnvironment(flags.configPath)
				if err != nil {
					return err
				}
				cfg = *loaded
			}
			return config.WriteYAML(cmd.OutOrStdout(), &cfg)
		},
	}
	print.Flags().BoolVar(&defaults, "defaults", false, "print the built-in defaults, ignoring the file and environment")
	cmd.AddCommand(print)
	return cmd
}
