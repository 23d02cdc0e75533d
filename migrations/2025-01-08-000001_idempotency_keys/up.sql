-- Idempotency-Key (IETF httpapi draft): per operator, for 24 hours, the fingerprint of the first
-- request (method, path, body) and, once it ended, its answer. status_code is NULL while the
-- first request runs; locked_until lets a retry take over a request abandoned by a crash.
CREATE TABLE idempotency_keys (
    operator_id   BIGINT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    key           VARCHAR(255) NOT NULL,
    fingerprint   BYTEA NOT NULL,
    status_code   INT,
    content_type  VARCHAR(100),
    response_body BYTEA,
    locked_until  TIMESTAMPTZ NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (operator_id, key)
);
CREATE INDEX idempotency_keys_age_idx ON idempotency_keys (created_at);
