DROP TABLE revoked_sessions;
ALTER TABLE admins DROP COLUMN sessions_revoked_at;
ALTER TABLE accounts DROP COLUMN sessions_revoked_at;
