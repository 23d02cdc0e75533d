DROP INDEX sign_in_throttles_window_idx;
ALTER TABLE admins DROP COLUMN password_changed_at;
ALTER TABLE accounts DROP COLUMN password_changed_at;
