-- OAuth2 clients (client credentials grant): several named clients per account, each with its
-- scopes and an optional expiry. The secret is kept only as an argon2id PHC string.
CREATE TABLE oauth_clients (
    id            BIGSERIAL PRIMARY KEY,
    client_id     VARCHAR(64) NOT NULL UNIQUE,
    account_id    BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name          VARCHAR(100) NOT NULL,
    scopes        VARCHAR(200) NOT NULL,
    secret_hash   VARCHAR(255) NOT NULL,
    expires_at    TIMESTAMPTZ,
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX oauth_clients_account_idx ON oauth_clients (account_id);

-- Access tokens issued to clients: only their SHA-256 is kept. A token dies with its client
-- (revoked or expired) or after its own expiry.
CREATE TABLE oauth_access_tokens (
    token_hash  BYTEA PRIMARY KEY,
    client_id   BIGINT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    scopes      VARCHAR(200) NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX oauth_access_tokens_expiry_idx ON oauth_access_tokens (expires_at);

-- Webhook subscriptions of an operator: where to send which events, signed with a secret kept
-- sealed (AES-256-GCM under TOKEN_ENCRYPTION_KEY). During a rotation the previous secret also
-- signs until previous_secret_until.
CREATE TABLE webhook_subscriptions (
    id                     BIGSERIAL PRIMARY KEY,
    operator_id            BIGINT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    url                    VARCHAR(2000) NOT NULL,
    events                 TEXT[] NOT NULL,
    secret_sealed          BYTEA NOT NULL,
    previous_secret_sealed BYTEA,
    previous_secret_until  TIMESTAMPTZ,
    disabled_at            TIMESTAMPTZ,
    disabled_reason        VARCHAR(200),
    deleted_at             TIMESTAMPTZ,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscriptions_operator_idx ON webhook_subscriptions (operator_id)
    WHERE deleted_at IS NULL;

-- The outbox: one row per event of an operator. `dedupe_key` keeps events produced by
-- scheduled jobs (expiry, daily stats) from being produced twice.
CREATE TABLE webhook_events (
    id          UUID PRIMARY KEY,
    operator_id BIGINT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    type        VARCHAR(40) NOT NULL,
    data        JSONB NOT NULL,
    dedupe_key  VARCHAR(200) UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_events_operator_created_idx ON webhook_events (operator_id, created_at);

-- One delivery of an event to a subscription. A worker claims due deliveries with
-- FOR UPDATE SKIP LOCKED and leases them (next_attempt_at moves past the try's timeout), so
-- that instances deliver each one once between them, and a crashed worker's lease runs out.
CREATE TABLE webhook_deliveries (
    id               BIGSERIAL PRIMARY KEY,
    event_id         UUID NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    subscription_id  BIGINT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    status           VARCHAR(20) NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
    attempts         INT NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,
    last_status_code INT,
    last_error       VARCHAR(300),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at     TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (subscription_id, id DESC);

-- The outcome of every try.
CREATE TABLE webhook_attempts (
    id           BIGSERIAL PRIMARY KEY,
    delivery_id  BIGINT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    status_code  INT,
    error        VARCHAR(300),
    duration_ms  INT NOT NULL
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id);

-- How far the webhook feeder has read the offer event log (one row), and the last day its
-- daily jobs (offer.expired, stats.daily) ran. Instances take the row FOR UPDATE to feed.
CREATE TABLE webhook_feed (
    singleton     BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    xact          BIGINT NOT NULL,
    event_id      BIGINT NOT NULL,
    daily_done_on DATE
);
INSERT INTO webhook_feed (xact, event_id)
SELECT COALESCE(max(xact_id::text::bigint), 0), COALESCE(max(id), 0) FROM offer_events;
