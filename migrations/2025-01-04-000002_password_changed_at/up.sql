-- When the password was last chosen: sessions opened before it end (a reset through a new
-- invitation signs out every other browser).
ALTER TABLE accounts ADD COLUMN password_changed_at TIMESTAMPTZ;
ALTER TABLE admins ADD COLUMN password_changed_at TIMESTAMPTZ;
