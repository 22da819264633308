package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/inkwell-cms/inkwell/application/seed"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
)

// seeder is what the seed command needs.
type seeder struct {
	Migrator *persistence.Migrator
	Seed     *seed.Service
}

func newSeedCommand(flags *globalFlags) *cobra.Command {
	var opts seed.Options
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Fill the configured database with published demo articles, tags and authors",
		Long: `Create demo content for trying the API and for benchmarks: authors, tags and published
articles with markdown bodies of a few KB and publish dates spread over three years.
Each run adds new content (slugs carry a run id). Seeding sends no webhooks.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Articles < 0 || opts.Tags < 1 || opts.Authors < 1 {
				return usageError{fmt.Errorf("--articles must be 0 or more, --tags and --authors at least 1")}
			}
			cfg, log, err := flags.load()
			if err != nil {
				return err
			}
			s, cleanup, err := newSeeder(cfg, log)
			if err != nil {
				return err
			}
			defer cleanup()
			if _, err := s.Migrator.Up(cmd.Context()); err != nil {
				return err
			}
			started := time.Now()
			opts.Progress = progress(cmd.ErrOrStderr(), opts.Articles)
			res, err := s.Seed.Run(cmd.Context(), opts)
			if err != nil {
				return err
			}
			elapsed := time.Since(started)
			fmt.Fprintf(cmd.OutOrStdout(), "seeded %d articles, %d tags, %d authors in %s (%.0f articles/s)\n",
				res.Articles, res.Tags, res.Authors, elapsed.Round(time.Millisecond), float64(res.Articles)/elapsed.Seconds())
			return nil
		},
	}
	cmd.Flags().IntVar(&opts.Articles, "articles", 1000, "published articles to create")
	cmd.Flags().IntVar(&opts.Tags, "tags", 50, "tags to create")
	cmd.Flags().IntVar(&opts.Authors, "authors", 20, "authors to create")
	cmd.Flags().IntVar(&opts.BatchSize, "batch", 1000, "articles written per transaction")
	return cmd
}

// progress draws a bar on a terminal and prints a plain line every 10 % otherwise (CI logs, files).
func progress(w io.Writer, total int) func(done, total int) {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("seeding"),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("articles"),
			progressbar.OptionClearOnFinish())
		return func(done, _ int) { _ = bar.Set(done) }
	}
	next := 0
	return func(done, total int) {
		if pct := done * 100 / max(total, 1); pct >= next || done == total {
			fmt.Fprintf(w, "seeding: %d/%d articles (%d%%)\n", done, total, pct)
			next = pct/10*10 + 10
		}
	}
}
