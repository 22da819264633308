package persistence_test

import (
	"context"
	"testing"

	"github.com/inkwell-cms/inkwell/application/apptest/contract"
	"github.com/inkwell-cms/inkwell/application/idempotency"
	"github.com/inkwell-cms/inkwell/domain/tag"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

// The contract suites of the storage ports, on a fresh database of every dialect per subtest. The
// in-memory fakes of application/apptest/memstore pass the same suites.

// forEachDialect runs suite once per dialect, handing it a fresh, migrated database per subtest.
func forEachDialect(t *testing.T, suite func(t *testing.T, open func(t *testing.T) *persistence.DB)) {
	t.Helper()
	for _, d := range testdb.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			suite(t, func(t *testing.T) *persistence.DB { return testdb.Open(t, d) })
		})
	}
}

func TestArticleRepositoryContract(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, open func(t *testing.T) *persistence.DB) {
		contract.ArticleRepository(t, func(t *testing.T) contract.ArticleHarness {
			f := newContentFixture(t, open(t))
			return contract.ArticleHarness{Tx: f.tx, Articles: f.articles, Tags: f.tags, NewAuthor: func(t *testing.T) string {
				return f.user("author-"+newID()[24:], "Author")
			}}
		})
	})
}

func TestTagRepositoryContract(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, open func(t *testing.T) *persistence.DB) {
		contract.TagRepository(t, func(t *testing.T) tag.Repository { return persistence.NewTagRepository(open(t)) })
	})
}

func TestIdentityRepositoriesContract(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, open func(t *testing.T) *persistence.DB) {
		contract.IdentityRepositories(t, func(t *testing.T) contract.IdentityHarness {
			db := open(t)
			return contract.IdentityHarness{Users: persistence.NewUserRepository(db), Tokens: persistence.NewTokenRepository(db)}
		})
	})
}

func TestWebhookRepositoriesContract(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, open func(t *testing.T) *persistence.DB) {
		contract.WebhookRepositories(t, func(t *testing.T) contract.WebhookHarness {
			db := open(t)
			return contract.WebhookHarness{Tx: persistence.NewTxManager(db), Endpoints: persistence.NewWebhookEndpoints(db),
				Deliveries: persistence.NewWebhookDeliveries(db)}
		})
	})
}

func TestOutboxContract(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, open func(t *testing.T) *persistence.DB) {
		contract.Outbox(t, func(t *testing.T) contract.OutboxHarness {
			db := open(t)
			outbox := persistence.NewOutbox(db)
			return contract.OutboxHarness{Tx: persistence.NewTxManager(db), Outbox: outbox, Stored: func(t *testing.T) []string {
				var ids []string
				inTx(t, db, func(ctx context.Context) error {
					events, err := outbox.ClaimUndispatched(ctx, 1000)
					for _, e := range events {
						ids = append(ids, e.ID)
					}
					return err
				})
				return ids
			}}
		})
	})
}

func TestInvalidationLogContract(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, open func(t *testing.T) *persistence.DB) {
		contract.InvalidationLog(t, func(t *testing.T) contract.InvalidationLogHarness {
			db := open(t)
			outbox := persistence.NewOutbox(db)
			return contract.InvalidationLogHarness{Tx: persistence.NewTxManager(db), Outbox: outbox, Log: outbox}
		})
	})
}

func TestIdempotencyStoreContract(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, open func(t *testing.T) *persistence.DB) {
		contract.IdempotencyStore(t, func(t *testing.T) idempotency.Store { return persistence.NewIdempotencyStore(open(t)) })
	})
}
