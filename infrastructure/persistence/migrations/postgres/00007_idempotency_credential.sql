-- An Idempotency-Key is replayed only to the API token (and rights) that first used it, so a
-- read-only token never replays a read-write token's answer. Rows written before this migration
-- have an empty credential and match no request: a retry across the upgrade is a 422, never a
-- replay to the wrong token (such rows expire within a day).
-- +goose Up
ALTER TABLE idempotency_keys ADD COLUMN credential TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN credential;
