ALTER TABLE operators DROP COLUMN rate_limit_factor;
DROP TABLE rate_limit_hits;
