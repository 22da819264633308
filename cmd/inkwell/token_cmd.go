package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/application/listing"
)

func newTokenCommand(flags *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use: "token", Short: "Issue, list and revoke API tokens (against the configured database)", Args: exactArgs(0),
		RunE: func(*cobra.Command, []string) error {
			return usageError{errNeedsSubcommand("token", "create", "list", "revoke")}
		},
	}
	cmd.AddCommand(newTokenCreateCommand(flags), newTokenListCommand(flags), newTokenRevokeCommand(flags))
	return cmd
}

func newTokenCreateCommand(flags *globalFlags) *cobra.Command {
	var email, name string
	var readOnly bool
	var expires time.Duration
	cmd := &cobra.Command{
		Use:   "create --user EMAIL --name NAME [--read-only] [--expires 720h]",
		Short: "Issue a token; the secret is printed once, alone on the last line",
		Args:  exactArgs(0),
		PreRunE: func(cmd *cobra.Command, _ []string) error {
			if expires < 0 {
				return usageError{errors.New("--expires must be a positive duration such as 720h, or 0 for never")}
			}
			return requireFlags(cmd, "user", "name")
		},
		RunE: withAdminCLI(flags, func(ctx context.Context, cmd *cobra.Command, cli *adminCLI) error {
			u, err := cli.Identity.GetUserByEmail(ctx, email)
			if err != nil {
				return err
			}
			in := identityapp.CreateToken{UserID: u.ID, Name: name, ReadOnly: readOnly}
			if expires > 0 {
				at := time.Now().UTC().Add(expires).Truncate(time.Second)
				in.ExpiresAt = &at
			}
			t, err := cli.Identity.CreateToken(ctx, in)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "token %q for %s: id %s, %s, expires %s\n", t.Name, u.Email, t.ID, access(t.ReadOnly), orNever(t.ExpiresAt))
			fmt.Fprintln(out, "store it now: it is shown only this once")
			fmt.Fprintln(out, t.Plaintext)
			return nil
		}),
	}
	cmd.Flags().StringVar(&email, "user", "", "email of the user the token acts as")
	cmd.Flags().StringVar(&name, "name", "", "label to recognise the token by, e.g. ci-deploy")
	cmd.Flags().BoolVar(&readOnly, "read-only", false, "the token may only read")
	cmd.Flags().DurationVar(&expires, "expires", 0, "lifetime, e.g. 720h (default: never expires)")
	return cmd
}

func newTokenListCommand(flags *globalFlags) *cobra.Command {
	var email string
	cmd := &cobra.Command{
		Use:   "list [--user EMAIL]",
		Short: "List tokens (revoked ones included), never their secrets",
		Args:  exactArgs(0),
		RunE: withAdminCLI(flags, func(ctx context.Context, cmd *cobra.Command, cli *adminCLI) error {
			q := identityapp.ListTokens{Page: listing.Request{Limit: listing.MaxLimit}}
			if email != "" {
				u, err := cli.Identity.GetUserByEmail(ctx, email)
				if err != nil {
					return err
				}
				q.UserID = u.ID
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tUSER ID\tNAME\tPREFIX\tACCESS\tEXPIRES\tLAST USED\tREVOKED")
			for {
				page, err := cli.Identity.ListTokens(ctx, q)
				if err != nil {
					return err
				}
				for _, t := range page.Items {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.UserID, t.Name, t.Prefix, access(t.ReadOnly),
						orNever(t.ExpiresAt), orDash(t.LastUsedAt), orDash(t.RevokedAt))
				}
				if !page.HasMore {
					return w.Flush()
				}
				q.Page.After = page.NextCursor
			}
		}),
	}
	cmd.Flags().StringVar(&email, "user", "", "only this user's tokens (email)")
	return cmd
}

func newTokenRevokeCommand(flags *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a token; it stops working at once",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withAdminCLI(flags, func(ctx context.Context, cmd *cobra.Command, cli *adminCLI) error {
				t, err := cli.Identity.RevokeToken(ctx, args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "revoked token %s (%q) at %s\n", t.ID, t.Name, t.RevokedAt.Format(time.RFC3339))
				return nil
			})(cmd, args)
		},
	}
}

func access(readOnly bool) string {
	if readOnly {
		return "read-only"
	}
	return "read-write"
}

func orNever(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.Format(time.RFC3339)
}

func orDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.RFC3339)
}
