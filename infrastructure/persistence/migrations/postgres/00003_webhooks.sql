-- +goose Up
-- Events committed with the change that caused them (transactional outbox). payload is JSON (not
-- JSONB) so the stored text, which becomes the webhook body, keeps its bytes exactly.
CREATE TABLE outbox_messages (
    id              UUID PRIMARY KEY,
    type            TEXT NOT NULL,
    aggregate_type  TEXT NOT NULL,
    aggregate_id    TEXT NOT NULL,
    payload         JSON NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    dispatched_at   TIMESTAMPTZ
);
CREATE INDEX outbox_messages_undispatched_idx ON outbox_messages (occurred_at, id) WHERE dispatched_at IS NULL;

CREATE TABLE webhook_endpoints (
    id           UUID PRIMARY KEY,
    url          TEXT NOT NULL,
    events       TEXT NOT NULL,
    enabled      BOOLEAN NOT NULL DEFAULT TRUE,
    description  TEXT NOT NULL DEFAULT '',
    secret       TEXT NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               UUID PRIMARY KEY,
    endpoint_id      UUID NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id         UUID NOT NULL,
    event_type       TEXT NOT NULL,
    payload          JSON NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempt_count    INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,
    version          BIGINT NOT NULL DEFAULT 1,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX webhook_deliveries_endpoint_event_key ON webhook_deliveries (endpoint_id, event_id);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id);

CREATE TABLE webhook_delivery_attempts (
    delivery_id    UUID NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    number         INTEGER NOT NULL,
    attempted_at   TIMESTAMPTZ NOT NULL,
    status_code    INTEGER,
    duration_ms    BIGINT NOT NULL,
    error          TEXT NOT NULL DEFAULT '',
    response_body  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (delivery_id, number)
);

-- +goose Down
DROP TABLE webhook_delivery_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
DROP TABLE outbox_messages;
