-- +goose Up
-- One row per (user, Idempotency-Key): the primary key is what lets the database decide which of two
-- concurrent requests with one key runs. lease_token names the request holding the row; only it may
-- complete or release it. A completed row keeps the response (exact body bytes) until expires_at.
CREATE TABLE idempotency_keys (
    user_id           UUID NOT NULL,
    idempotency_key   TEXT NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    method            TEXT NOT NULL,
    path              TEXT NOT NULL,
    body_sha256       TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('in_flight', 'completed')),
    lease_token       UUID NOT NULL,
    locked_at         TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL,
    response_status   INTEGER,
    response_headers  JSON,
    response_body     BYTEA,
    PRIMARY KEY (user_id, idempotency_key),
    CHECK (state = 'in_flight' OR response_status IS NOT NULL)
);
CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
