-- A partner organisation (association, ministry, local authority, job board).
CREATE TABLE operators (
    id              BIGSERIAL PRIMARY KEY,
    name            VARCHAR(120) NOT NULL UNIQUE,
    api_full_access BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- An API account of an operator. All accounts of one operator share its offers.
-- The token is never stored in clear: it is found by its SHA-256 hash and kept
-- encrypted (AES-256-GCM, nonce || ciphertext) with the server key so that a web
-- page can show it again to its owner.
CREATE TABLE accounts (
    id                 BIGSERIAL PRIMARY KEY,
    operator_id        BIGINT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    email              VARCHAR(254) NOT NULL,
    token_hash         BYTEA NOT NULL,
    token_ciphertext   BYTEA NOT NULL,
    token_created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    token_last_used_at TIMESTAMPTZ,
    deactivated_at     TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));
CREATE UNIQUE INDEX accounts_token_hash_key ON accounts (token_hash);
CREATE INDEX accounts_operator_id_idx ON accounts (operator_id);
