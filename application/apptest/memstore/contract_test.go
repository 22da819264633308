package memstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/inkwell-cms/inkwell/application/apptest/contract"
	"github.com/inkwell-cms/inkwell/application/apptest/memstore"
	"github.com/inkwell-cms/inkwell/application/idempotency"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

// The fakes pass the contract suites the GORM repositories pass (infrastructure/persistence).

func TestArticleRepositoryContract(t *testing.T) {
	t.Parallel()
	contract.ArticleRepository(t, func(t *testing.T) contract.ArticleHarness {
		db := memstore.New()
		return contract.ArticleHarness{Tx: db, Articles: db.Articles(), Tags: db.Tags(), NewAuthor: func(t *testing.T) string {
			return addAuthor(t, db)
		}}
	})
}

func TestTagRepositoryContract(t *testing.T) {
	t.Parallel()
	contract.TagRepository(t, func(*testing.T) tag.Repository { return memstore.New().Tags() })
}

func TestIdentityRepositoriesContract(t *testing.T) {
	t.Parallel()
	contract.IdentityRepositories(t, func(*testing.T) contract.IdentityHarness {
		db := memstore.New()
		return contract.IdentityHarness{Users: db.Users(), Tokens: db.Tokens()}
	})
}

func TestWebhookRepositoriesContract(t *testing.T) {
	t.Parallel()
	contract.WebhookRepositories(t, func(*testing.T) contract.WebhookHarness {
		db := memstore.New()
		return contract.WebhookHarness{Tx: db, Endpoints: db.Endpoints(), Deliveries: db.Deliveries()}
	})
}

func TestOutboxContract(t *testing.T) {
	t.Parallel()
	contract.Outbox(t, func(*testing.T) contract.OutboxHarness {
		db := memstore.New()
		return contract.OutboxHarness{Tx: db, Outbox: db.Outbox(), Stored: func(*testing.T) []string {
			var ids []string
			db.View(func(t memstore.Tables) {
				for _, m := range t.Outbox {
					ids = append(ids, m.ID)
				}
			})
			return ids
		}}
	})
}

func TestInvalidationLogContract(t *testing.T) {
	t.Parallel()
	contract.InvalidationLog(t, func(*testing.T) contract.InvalidationLogHarness {
		db := memstore.New()
		return contract.InvalidationLogHarness{Tx: db, Outbox: db.Outbox(), Log: db.Outbox()}
	})
}

func TestIdempotencyStoreContract(t *testing.T) {
	t.Parallel()
	contract.IdempotencyStore(t, func(*testing.T) idempotency.Store { return memstore.NewIdempotencyStore() })
}

// addAuthor stores a user through the fake user repository, as the real suite does through SQL.
func addAuthor(t *testing.T, db *memstore.DB) string {
	t.Helper()
	id := uuid.NewString()
	u, err := identity.NewUser(identity.NewUserParams{ID: id, Name: "Author", Slug: "author-" + id[:8],
		Email: id + "@example.com", Role: identity.RoleAuthor, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Users().Add(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return id
}
