-- +goose Up
-- Events committed with the change that caused them (transactional outbox).
CREATE TABLE outbox_messages (
    id              TEXT PRIMARY KEY,
    type            TEXT NOT NULL,
    aggregate_type  TEXT NOT NULL,
    aggregate_id    TEXT NOT NULL,
    payload         TEXT NOT NULL CHECK (json_valid(payload)),
    occurred_at     DATETIME NOT NULL,
    dispatched_at   DATETIME
);
CREATE INDEX outbox_messages_undispatched_idx ON outbox_messages (occurred_at, id) WHERE dispatched_at IS NULL;

CREATE TABLE webhook_endpoints (
    id           TEXT PRIMARY KEY,
    url          TEXT NOT NULL,
    events       TEXT NOT NULL,
    enabled      BOOLEAN NOT NULL DEFAULT TRUE,
    description  TEXT NOT NULL DEFAULT '',
    secret       TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id         TEXT NOT NULL,
    event_type       TEXT NOT NULL,
    payload          TEXT NOT NULL CHECK (json_valid(payload)),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempt_count    INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  DATETIME,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL
);
CREATE UNIQUE INDEX webhook_deliveries_endpoint_event_key ON webhook_deliveries (endpoint_id, event_id);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id);

CREATE TABLE webhook_delivery_attempts (
    delivery_id    TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    number         INTEGER NOT NULL,
    attempted_at   DATETIME NOT NULL,
    status_code    INTEGER,
    duration_ms    INTEGER NOT NULL,
    error          TEXT NOT NULL DEFAULT '',
    response_body  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (delivery_id, number)
);

-- +goose Down
DROP TABLE webhook_delivery_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
DROP TABLE outbox_messages;
