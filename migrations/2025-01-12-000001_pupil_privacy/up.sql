-- Pupils' traces older than PUPIL_TRACE_RETENTION_DAYS (or of an erased pupil) are rolled up
-- into these anonymous counts per offer and day (Europe/Paris), then deleted; the statistics
-- add them to the raw traces left.
CREATE TABLE offer_daily_activity (
    internship_offer_id    BIGINT NOT NULL REFERENCES internship_offers (id) ON DELETE CASCADE,
    day                    DATE NOT NULL,
    apply_clicks           INTEGER NOT NULL DEFAULT 0,
    accounts_created       INTEGER NOT NULL DEFAULT 0,
    applications_submitted INTEGER NOT NULL DEFAULT 0,
    applications_approved  INTEGER NOT NULL DEFAULT 0,
    applications_rejected  INTEGER NOT NULL DEFAULT 0,
    applications_canceled  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (internship_offer_id, day)
);

-- Seats taken by approvals whose traces were rolled up: the recount of `approved_count` adds
-- them to those of the traces left.
ALTER TABLE internship_offers ADD COLUMN approved_rolled_up INTEGER NOT NULL DEFAULT 0
    CHECK (approved_rolled_up >= 0);

-- The purge looks for old traces by date.
CREATE INDEX apply_clicks_created_idx ON apply_clicks (created_at);
CREATE INDEX account_activities_created_idx ON account_activities (created_at);
CREATE INDEX application_trackings_created_idx ON application_trackings (created_at);
-- Erasure looks for one pupil's traces.
CREATE INDEX apply_clicks_student_idx ON apply_clicks (student_id) WHERE student_id IS NOT NULL;
CREATE INDEX account_activities_student_idx ON account_activities (student_id);
CREATE INDEX application_trackings_student_idx ON application_trackings (student_id)
    WHERE student_id IS NOT NULL;
