package persistence

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// saveBatch bounds the rows of one batched UPDATE (7 parameters each).
const saveBatch = 500

// SaveAttempts writes a batch of deliveries with their new attempts: one UPDATE … FROM (VALUES …)
// per saveBatch rows guarded by each row's expected version, then one INSERT of the attempts of the
// rows it changed. Call it inside a transaction so rows and attempts commit together.
func (r *WebhookDeliveries) SaveAttempts(ctx context.Context, batch []webhookapp.Recorded) (webhookapp.SaveOutcome, error) {
	out := webhookapp.SaveOutcome{Stale: map[string]bool{}, Gone: map[string]bool{}}
	saved := map[string]bool{}
	for start := 0; start < len(batch); start += saveBatch {
		ids, err := r.updateVersioned(ctx, batch[start:min(start+saveBatch, len(batch))])
		if err != nil {
			return out, fmt.Errorf("webhook delivery repository: save %d attempts: %w", len(batch), err)
		}
		for _, id := range ids {
			saved[id] = true
		}
	}
	var missing []string
	var attempts []webhookAttemptModel
	for _, rec := range batch {
		st := rec.Delivery.State()
		if !saved[st.ID] {
			missing = append(missing, st.ID)
			continue
		}
		attempts = append(attempts, attemptsToModels(st.ID, st.Attempts)...)
	}
	conn := r.db.Conn(ctx)
	if len(attempts) > 0 {
		// Attempts are append-only and numbered, so the stored ones are skipped.
		if err := conn.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&attempts, insertBatch).Error; err != nil {
			return out, fmt.Errorf("webhook delivery repository: save attempts: %w", err)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	var present []string
	if err := conn.Model(&webhookDeliveryModel{}).Where("id IN ?", missing).Pluck("id", &present).Error; err != nil {
		return out, fmt.Errorf("webhook delivery repository: read unsaved deliveries: %w", err)
	}
	for _, id := range present {
		out.Stale[id] = true
	}
	for _, id := range missing {
		if !out.Stale[id] {
			out.Gone[id] = true
		}
	}
	return out, nil
}

// updateVersioned updates the rows whose version is still expected and returns their ids.
func (r *WebhookDeliveries) updateVersioned(ctx context.Context, batch []webhookapp.Recorded) ([]string, error) {
	row := "(?, ?, ?, ?, ?, ?, ?)"
	if r.db.Dialect == config.DialectPostgres {
		row = "(?::uuid, ?::bigint, ?::text, ?::integer, ?::timestamptz, ?::bigint, ?::timestamptz)"
	}
	rows := make([]string, len(batch))
	args := make([]any, 0, 7*len(batch))
	for i, rec := range batch {
		m := deliveryToModel(rec.Delivery.State())
		rows[i] = row
		args = append(args, m.ID, int64(rec.Expected), m.Status, m.AttemptCount, m.NextAttemptAt, m.Version, m.UpdatedAt)
	}
	// VALUES columns are column1… on both databases; the inner SELECT names them.
	query := `UPDATE webhook_deliveries SET status = v.status, attempt_count = v.attempt_count,
			next_attempt_at = v.next_attempt_at, version = v.version, updated_at = v.updated_at
		FROM (SELECT column1 AS id, column2 AS expected, column3 AS status, column4 AS attempt_count,
			column5 AS next_attempt_at, column6 AS version, column7 AS updated_at
			FROM (VALUES ` + strings.Join(rows, ", ") + `) AS t) AS v
		WHERE webhook_deliveries.id = v.id AND webhook_deliveries.version = v.expected
		RETURNING webhook_deliveries.id`
	var ids []string
	if err := r.db.Conn(ctx).Raw(query, args...).Scan(&ids).Error; err != nil {
		return nil, err
	}
	return ids, nil
}

// PurgeFinished deletes up to limit delivered or failed deliveries last changed before the cutoff;
// their attempts go with them (ON DELETE CASCADE).
func (r *WebhookDeliveries) PurgeFinished(ctx context.Context, before time.Time, limit int) (int, error) {
	res := r.db.Conn(ctx).Exec(`DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries
		WHERE status IN ('delivered', 'failed') AND updated_at < ? LIMIT ?)`, before.UTC(), limit)
	if res.Error != nil {
		return 0, fmt.Errorf("webhook delivery repository: purge finished before %s: %w", before.UTC().Format(time.RFC3339), res.Error)
	}
	return int(res.RowsAffected), nil
}
