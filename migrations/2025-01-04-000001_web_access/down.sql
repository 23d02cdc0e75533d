DROP TABLE audit_events;
DROP TABLE sign_in_throttles;
DROP TABLE invitations;
DROP TABLE admins;
ALTER TABLE accounts DROP COLUMN password_hash;
