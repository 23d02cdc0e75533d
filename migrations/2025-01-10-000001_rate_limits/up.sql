-- Requests counted per credential (an account's static token, an OAuth client) or, on routes
-- without a token, per client address, and per class of route, in fixed windows. Every instance
-- counts in the same row, so limits are global. UNLOGGED: no WAL for a counter; a crash only
-- forgives the current window.
CREATE UNLOGGED TABLE rate_limit_hits (
    subject      TEXT NOT NULL,
    route_class  TEXT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    hits         INT NOT NULL,
    PRIMARY KEY (subject, route_class)
);

-- An admin raises an operator's limits: each is multiplied by this factor.
ALTER TABLE operators ADD COLUMN rate_limit_factor INT NOT NULL DEFAULT 1
    CHECK (rate_limit_factor BETWEEN 1 AND 1000);
