-- Changes feeds (GET /api/internship_offers/changes, GET /api/catalogue/changes) read the
-- offer event log from a cursor.

-- An offer whose last day is over leaves the catalogue without anyone writing it: the daily job
-- of the log (the webhook feeder's) records an 'expired' event for it, so the catalogue feed
-- sends its tombstone.
ALTER TABLE offer_events DROP CONSTRAINT offer_events_kind_check;
ALTER TABLE offer_events ADD CONSTRAINT offer_events_kind_check
    CHECK (kind IN ('created', 'updated', 'unpublished', 'republished', 'deleted',
                    'seat_taken', 'seat_freed', 'expired'));

-- The last position the trim has deleted (one row): a cursor before it may have lost events,
-- and is answered 410 CURSOR_EXPIRED.
CREATE TABLE offer_events_trimmed (
    singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    xact      BIGINT NOT NULL DEFAULT 0,
    event_id  BIGINT NOT NULL DEFAULT 0
);
INSERT INTO offer_events_trimmed DEFAULT VALUES;
