-- Pupils of the platform (minimal personal data); their id is the `msta` tag given to partners.
CREATE TABLE students (
    id         BIGSERIAL PRIMARY KEY,
    first_name VARCHAR(80) NOT NULL,
    last_name  VARCHAR(80) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Views of the public offer page, counted per offer and day (one atomic upsert per view).
CREATE TABLE offer_daily_views (
    internship_offer_id BIGINT NOT NULL REFERENCES internship_offers (id) ON DELETE CASCADE,
    day                 DATE NOT NULL,
    views               INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (internship_offer_id, day)
);

-- Clicks on "Postuler", with the pupil when known.
CREATE TABLE apply_clicks (
    id                  BIGSERIAL PRIMARY KEY,
    internship_offer_id BIGINT NOT NULL REFERENCES internship_offers (id) ON DELETE CASCADE,
    student_id          BIGINT REFERENCES students (id),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX apply_clicks_offer_idx ON apply_clicks (internship_offer_id, created_at);

-- A partner reports that a pupil coming from us created an account (seed document).
CREATE TABLE account_activities (
    id                  BIGSERIAL PRIMARY KEY,
    operator_id         BIGINT NOT NULL REFERENCES operators (id),
    internship_offer_id BIGINT NOT NULL REFERENCES internship_offers (id) ON DELETE CASCADE,
    student_id          BIGINT NOT NULL REFERENCES students (id),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (operator_id, student_id, internship_offer_id)
);
CREATE INDEX account_activities_offer_idx ON account_activities (internship_offer_id, created_at);

-- A partner reports what happened to an application.
CREATE TABLE application_trackings (
    id                  BIGSERIAL PRIMARY KEY,
    internship_offer_id BIGINT NOT NULL REFERENCES internship_offers (id) ON DELETE CASCADE,
    student_id          BIGINT REFERENCES students (id),
    remote_status       VARCHAR(32) NOT NULL CHECK (remote_status IN
        ('application_submitted', 'application_approved', 'application_rejected', 'application_canceled')),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (internship_offer_id, student_id, remote_status)
);

-- Seats taken by approved applications; kept in step by the API in the same transaction.
ALTER TABLE internship_offers ADD COLUMN approved_count INTEGER NOT NULL DEFAULT 0
    CHECK (approved_count >= 0 AND approved_count <= max_candidates);
