package persistence

import (
	"context"
	"fmt"

	"gorm.io/gorm/clause"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// insertBatch keeps a fan-out's multi-row INSERT well under the drivers' bound-parameter limits.
const insertBatch = 500

// WebhookDeliveries implements webhook.DeliveryRepository and the relay's DeliveryQueue.
type WebhookDeliveries struct{ db *DB }

// NewWebhookDeliveries returns the delivery repository of db.
func NewWebhookDeliveries(db *DB) *WebhookDeliveries { return &WebhookDeliveries{db: db} }

// Add inserts new deliveries (with their attempts, if any). Call it inside a transaction.
func (r *WebhookDeliveries) Add(ctx context.Context, ds ...*webhook.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	ms := make([]webhookDeliveryModel, len(ds))
	var attempts []webhookAttemptModel
	for i, d := range ds {
		st := d.State()
		ms[i] = deliveryToModel(st)
		attempts = append(attempts, attemptsToModels(st.ID, st.Attempts)...)
	}
	conn := r.db.Conn(ctx)
	if err := conn.CreateInBatches(&ms, insertBatch).Error; err != nil {
		return fmt.Errorf("webhook delivery repository: add %d deliveries: %w", len(ds), err)
	}
	if len(attempts) > 0 {
		if err := conn.CreateInBatches(&attempts, insertBatch).Error; err != nil {
			return fmt.Errorf("webhook delivery repository: add attempts: %w", err)
		}
	}
	return nil
}

// Get loads one delivery with its attempts.
func (r *WebhookDeliveries) Get(ctx context.Context, id string) (*webhook.Delivery, error) {
	if !wellFormedID(id) {
		return nil, webhook.ErrDeliveryNotFound
	}
	ds, err := r.load(ctx, []string{id})
	if err != nil {
		return nil, fmt.Errorf("webhook delivery repository: get %s: %w", id, err)
	}
	if len(ds) == 0 {
		return nil, webhook.ErrDeliveryNotFound
	}
	return ds[0], nil
}

// ListByEndpoint returns a page of an endpoint's deliveries, newest first. UUIDv7 ids are
// time-ordered, so the id is both the order and the keyset cursor.
func (r *WebhookDeliveries) ListByEndpoint(ctx context.Context, q webhook.DeliveryQuery) ([]*webhook.Delivery, error) {
	if !wellFormedID(q.EndpointID) || (q.Before != "" && !wellFormedID(q.Before)) {
		return nil, nil
	}
	tx := r.db.Conn(ctx).Model(&webhookDeliveryModel{}).Where("endpoint_id = ?", q.EndpointID)
	if q.Before != "" {
		tx = tx.Where("id < ?", q.Before)
	}
	var ids []string
	if err := tx.Order("id DESC").Limit(q.Limit).Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("webhook delivery repository: list for endpoint %s: %w", q.EndpointID, err)
	}
	ds, err := r.load(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("webhook delivery repository: list for endpoint %s: %w", q.EndpointID, err)
	}
	return ds, nil
}

// Save writes d if the stored version is still expected and adds its new attempts. Call it inside a
// transaction so the row and its attempts commit together.
func (r *WebhookDeliveries) Save(ctx context.Context, d *webhook.Delivery, expected shared.Version) error {
	st := d.State()
	m := deliveryToModel(st)
	conn := r.db.Conn(ctx)
	res := conn.Model(&webhookDeliveryModel{}).Where("id = ? AND version = ?", d.ID(), int64(expected)).
		Updates(map[string]any{
			"status": m.Status, "attempt_count": m.AttemptCount, "next_attempt_at": m.NextAttemptAt,
			"version": m.Version, "updated_at": m.UpdatedAt,
		})
	if res.Error != nil {
		return fmt.Errorf("webhook delivery repository: save %s: %w", d.ID(), res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("webhook delivery repository: save %s: %w", d.ID(), staleOrGone(ctx, r.db, "webhook_deliveries", d.ID(), webhook.ErrDeliveryNotFound))
	}
	if attempts := attemptsToModels(st.ID, st.Attempts); len(attempts) > 0 {
		// Attempts are append-only and numbered, so the stored ones are skipped.
		if err := conn.Clauses(clause.OnConflict{DoNothing: true}).Create(&attempts).Error; err != nil {
			return fmt.Errorf("webhook delivery repository: save attempts of %s: %w", d.ID(), err)
		}
	}
	return nil
}

// load reads deliveries and their attempts, in the order of ids.
func (r *WebhookDeliveries) load(ctx context.Context, ids []string) ([]*webhook.Delivery, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	conn := r.db.Conn(ctx)
	var ms []webhookDeliveryModel
	if err := conn.Where("id IN ?", ids).Find(&ms).Error; err != nil {
		return nil, err
	}
	var as []webhookAttemptModel
	if err := conn.Where("delivery_id IN ?", ids).Order("delivery_id, number").Find(&as).Error; err != nil {
		return nil, err
	}
	byDelivery := make(map[string][]webhookAttemptModel, len(ms))
	for _, a := range as {
		byDelivery[a.DeliveryID] = append(byDelivery[a.DeliveryID], a)
	}
	byID := make(map[string]webhookDeliveryModel, len(ms))
	for _, m := range ms {
		byID[m.ID] = m
	}
	out := make([]*webhook.Delivery, 0, len(ms))
	for _, id := range ids {
		if m, ok := byID[id]; ok {
			out = append(out, deliveryFromModel(m, byDelivery[id]))
		}
	}
	return out, nil
}
