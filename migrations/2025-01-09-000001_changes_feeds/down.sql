DROP TABLE offer_events_trimmed;
DELETE FROM offer_events WHERE kind = 'expired';
ALTER TABLE offer_events DROP CONSTRAINT offer_events_kind_check;
ALTER TABLE offer_events ADD CONSTRAINT offer_events_kind_check
    CHECK (kind IN ('created', 'updated', 'unpublished', 'republished', 'deleted',
                    'seat_taken', 'seat_freed'));
