-- When the password was last chosen: sessions opened before it end (a reset through a new
-- invitation signs out every other browser).
ALTER TABLE accounts ADD COLUMN password_changed_at TIMESTAMPTZ;
ALTER TABLE admins ADD COLUMN password_changed_at TIMESTAMPTZ;

-- Failure counts of the past are forgotten as new failures come (see sign_in_throttles.rs).
CREATE INDEX sign_in_throttles_window_idx ON sign_in_throttles (window_started_at);
