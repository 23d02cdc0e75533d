-- Web pages: operator accounts and admins sign in with email + password (argon2id PHC
-- strings); passwords are set through single-use invitation links.
ALTER TABLE accounts ADD COLUMN password_hash VARCHAR(255);

-- Platform administrators: manage operators, access and tokens. No API token of their own.
CREATE TABLE admins (
    id             BIGSERIAL PRIMARY KEY,
    email          VARCHAR(254) NOT NULL,
    password_hash  VARCHAR(255),
    deactivated_at TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX admins_email_key ON admins (lower(email));

-- A link that lets its holder choose a password, once, before it expires. Only the
-- SHA-256 of the secret part of the link is kept.
CREATE TABLE invitations (
    id         BIGSERIAL PRIMARY KEY,
    token_hash BYTEA NOT NULL UNIQUE,
    account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    admin_id   BIGINT REFERENCES admins (id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((account_id IS NULL) <> (admin_id IS NULL))
);

-- Failed sign-ins, counted per subject ('email:<address>' or 'ip:<address>') over a
-- window; a subject with too many failures is locked until locked_until.
CREATE TABLE sign_in_throttles (
    subject           VARCHAR(300) PRIMARY KEY,
    failures          INT NOT NULL,
    window_started_at TIMESTAMPTZ NOT NULL,
    locked_until      TIMESTAMPTZ
);

-- Who revealed, rotated or deactivated which token, and who changed which access.
CREATE TABLE audit_events (
    id          BIGSERIAL PRIMARY KEY,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor       VARCHAR(300) NOT NULL,
    action      VARCHAR(40) NOT NULL,
    operator_id BIGINT REFERENCES operators (id) ON DELETE SET NULL,
    account_id  BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    detail      VARCHAR(300) NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_created_at_idx ON audit_events (created_at DESC, id DESC);
