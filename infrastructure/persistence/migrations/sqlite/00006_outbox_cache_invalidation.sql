-- Every outbox row is also the record of the cache invalidation its write needs: written in the
-- write's transaction, it cannot be lost. cache_applied_at is set once the cache has accepted the
-- generation bumps of the row's event (the invalidation worker of application/content); the partial
-- index holds only the rows still pending, so claiming them stays cheap however large the outbox.
-- Rows written before this migration had their invalidation applied (or expired with the TTL) long
-- ago: they are marked applied.
-- +goose Up
ALTER TABLE outbox_messages ADD COLUMN cache_applied_at DATETIME;
UPDATE outbox_messages SET cache_applied_at = occurred_at;
CREATE INDEX outbox_messages_cache_pending_idx ON outbox_messages (occurred_at, id) WHERE cache_applied_at IS NULL;

-- +goose Down
DROP INDEX outbox_messages_cache_pending_idx;
ALTER TABLE outbox_messages DROP COLUMN cache_applied_at;
