ALTER TABLE admins DROP COLUMN password_changed_at;
ALTER TABLE accounts DROP COLUMN password_changed_at;
