-- Web sessions live in a signed, encrypted cookie. Two ways to end them on the server:
-- "sign out everywhere" ends every session of a principal opened before this moment;
-- signing out records the session's id, refused until the session would have expired anyway (12 h).
ALTER TABLE accounts ADD COLUMN sessions_revoked_at TIMESTAMPTZ;
ALTER TABLE admins ADD COLUMN sessions_revoked_at TIMESTAMPTZ;
CREATE TABLE revoked_sessions (
    session_id UUID PRIMARY KEY,
    revoked_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
