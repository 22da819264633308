package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/domain/identity"
)

func newUserCommand(flags *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use: "user", Short: "Manage users (against the configured database)", Args: exactArgs(0),
		RunE: func(*cobra.Command, []string) error { return usageError{errNeedsSubcommand("user", "create")} },
	}
	var in identityapp.CreateUser
	create := &cobra.Command{
		Use:   "create --email EMAIL --name NAME --role ROLE",
		Short: "Create a user",
		Long:  "Create a user. Roles: " + roleNames() + ". Give them a token with `inkwell token create`.",
		Args:  exactArgs(0),
		PreRunE: func(cmd *cobra.Command, _ []string) error {
			return requireFlags(cmd, "email", "name", "role")
		},
		RunE: withAdminCLI(flags, func(ctx context.Context, cmd *cobra.Command, cli *adminCLI) error {
			u, err := cli.Identity.CreateUser(ctx, in)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created %s %s <%s> (id %s, author page /api/v1/authors/%s)\n", u.Role, u.Name, u.Email, u.ID, u.Slug)
			return nil
		}),
	}
	create.Flags().StringVar(&in.Email, "email", "", "email address (unique)")
	create.Flags().StringVar(&in.Name, "name", "", "display name, 1–100 characters")
	create.Flags().StringVar(&in.Role, "role", "", "one of "+roleNames())
	cmd.AddCommand(create)
	return cmd
}

func roleNames() string {
	names := make([]string, len(identity.Roles))
	for i, r := range identity.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
