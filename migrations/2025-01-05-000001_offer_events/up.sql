-- The offer event log: one row per change that partners or the catalogue can see, written in
-- the same transaction as the change. Consumers (the search index, webhooks, changes feeds)
-- read it in (xact_id, id) order, and only below the oldest transaction still running
-- (pg_snapshot_xmin): a transaction that commits late can never be skipped, which an order on
-- `id` alone (a sequence, not commit-ordered) would allow.
CREATE TABLE offer_events (
    id          BIGSERIAL PRIMARY KEY,
    xact_id     XID8 NOT NULL DEFAULT pg_current_xact_id(),
    offer_id    BIGINT NOT NULL REFERENCES internship_offers (id) ON DELETE CASCADE,
    operator_id BIGINT NOT NULL REFERENCES operators (id),
    kind        TEXT NOT NULL CHECK (kind IN ('created', 'updated', 'unpublished', 'republished',
                                             'deleted', 'seat_taken', 'seat_freed')),
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX offer_events_order_idx ON offer_events (xact_id, id);
CREATE INDEX offer_events_operator_idx ON offer_events (operator_id, xact_id DESC, id DESC);
CREATE INDEX offer_events_age_idx ON offer_events (occurred_at);
