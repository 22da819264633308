package persistence

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// WebhookEndpoints implements webhook.EndpointRepository.
type WebhookEndpoints struct{ db *DB }

// NewWebhookEndpoints returns the endpoint repository of db.
func NewWebhookEndpoints(db *DB) *WebhookEndpoints { return &WebhookEndpoints{db: db} }

// Add inserts a new endpoint.
func (r *WebhookEndpoints) Add(ctx context.Context, e *webhook.Endpoint) error {
	m, err := endpointToModel(e.State())
	if err != nil {
		return fmt.Errorf("webhook endpoint repository: add %s: %w", e.ID(), err)
	}
	if err := r.db.Conn(ctx).Create(&m).Error; err != nil {
		return fmt.Errorf("webhook endpoint repository: add %s: %w", e.ID(), err)
	}
	return nil
}

// Get loads one endpoint.
func (r *WebhookEndpoints) Get(ctx context.Context, id string) (*webhook.Endpoint, error) {
	if !wellFormedID(id) {
		return nil, webhook.ErrEndpointNotFound
	}
	var m webhookEndpointModel
	if err := r.db.Conn(ctx).Where("id = ?", id).Take(&m).Error; err != nil {
		if IsNotFound(err) {
			return nil, webhook.ErrEndpointNotFound
		}
		return nil, fmt.Errorf("webhook endpoint repository: get %s: %w", id, err)
	}
	e, err := endpointFromModel(m)
	if err != nil {
		return nil, fmt.Errorf("webhook endpoint repository: get %s: %w", id, err)
	}
	return e, nil
}

// List returns every endpoint, oldest first.
func (r *WebhookEndpoints) List(ctx context.Context) ([]*webhook.Endpoint, error) {
	return r.find(r.db.Conn(ctx))
}

// ListPage returns one page of endpoints in id order (creation order: ids are UUIDv7).
func (r *WebhookEndpoints) ListPage(ctx context.Context, page shared.IDPage) ([]*webhook.Endpoint, error) {
	q := r.db.Conn(ctx).Limit(page.Limit)
	if page.AfterID != "" {
		if !wellFormedID(page.AfterID) {
			return nil, nil
		}
		q = q.Where("id > ?", page.AfterID)
	}
	return r.find(q)
}

func (r *WebhookEndpoints) find(q *gorm.DB) ([]*webhook.Endpoint, error) {
	var ms []webhookEndpointModel
	if err := q.Order("id").Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("webhook endpoint repository: list: %w", err)
	}
	out := make([]*webhook.Endpoint, len(ms))
	for i, m := range ms {
		e, err := endpointFromModel(m)
		if err != nil {
			return nil, fmt.Errorf("webhook endpoint repository: list: %w", err)
		}
		out[i] = e
	}
	return out, nil
}

// Save writes e if the stored version is still expected.
func (r *WebhookEndpoints) Save(ctx context.Context, e *webhook.Endpoint, expected shared.Version) error {
	m, err := endpointToModel(e.State())
	if err != nil {
		return fmt.Errorf("webhook endpoint repository: save %s: %w", e.ID(), err)
	}
	res := r.db.Conn(ctx).Model(&webhookEndpointModel{}).Where("id = ? AND version = ?", e.ID(), int64(expected)).
		Updates(map[string]any{
			"url": m.URL, "events": m.Events, "enabled": m.Enabled, "description": m.Description,
			"secret": m.Secret, "version": m.Version, "updated_at": m.UpdatedAt,
		})
	if res.Error != nil {
		return fmt.Errorf("webhook endpoint repository: save %s: %w", e.ID(), res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("webhook endpoint repository: save %s: %w", e.ID(), staleOrGone(ctx, r.db, "webhook_endpoints", e.ID(), webhook.ErrEndpointNotFound))
	}
	return nil
}

// Delete removes an endpoint and, by cascade, its deliveries.
func (r *WebhookEndpoints) Delete(ctx context.Context, id string) error {
	if !wellFormedID(id) {
		return webhook.ErrEndpointNotFound
	}
	res := r.db.Conn(ctx).Where("id = ?", id).Delete(&webhookEndpointModel{})
	if res.Error != nil {
		return fmt.Errorf("webhook endpoint repository: delete %s: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return webhook.ErrEndpointNotFound
	}
	return nil
}
