package persistence

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/inkwell-cms/inkwell/application/idempotency"
)

// idempotencyKeyModel is a row of idempotency_keys; the response columns are NULL while in flight.
type idempotencyKeyModel struct {
	UserID          string `gorm:"primaryKey"`
	IdempotencyKey  string `gorm:"primaryKey"`
	Method          string
	Path            string
	BodySHA256      string `gorm:"column:body_sha256"`
	Credential      string
	State           string
	LeaseToken      string
	LockedAt        time.Time
	ExpiresAt       time.Time
	ResponseStatus  *int
	ResponseHeaders *string
	ResponseBody    []byte
}

func (idempotencyKeyModel) TableName() string { return "idempotency_keys" }

// idempotencyRecordToModel maps a new in-flight record (its response is not stored yet).
func idempotencyRecordToModel(r idempotency.Record) idempotencyKeyModel {
	return idempotencyKeyModel{
		UserID: r.UserID, IdempotencyKey: r.Key, Method: r.Fingerprint.Method, Path: r.Fingerprint.Path,
		BodySHA256: r.Fingerprint.BodySHA256, Credential: r.Fingerprint.Credential, State: string(r.State), LeaseToken: r.Token,
		LockedAt: r.LockedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(),
	}
}

func idempotencyRecordFromModel(m idempotencyKeyModel) (idempotency.Record, error) {
	r := idempotency.Record{
		UserID: m.UserID, Key: m.IdempotencyKey,
		Fingerprint: idempotency.Fingerprint{Method: m.Method, Path: m.Path, BodySHA256: m.BodySHA256, Credential: m.Credential},
		State:       idempotency.State(m.State), Token: m.LeaseToken,
		LockedAt: m.LockedAt.UTC(), ExpiresAt: m.ExpiresAt.UTC(),
	}
	if m.ResponseStatus != nil {
		r.Response.Status = *m.ResponseStatus
		r.Response.Body = m.ResponseBody
	}
	if m.ResponseHeaders != nil {
		if err := json.Unmarshal([]byte(*m.ResponseHeaders), &r.Response.Header); err != nil {
			return idempotency.Record{}, fmt.Errorf("decode stored headers of key %q: %w", m.IdempotencyKey, err)
		}
	}
	return r, nil
}
