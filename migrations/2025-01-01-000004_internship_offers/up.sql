-- Offers belong to an operator (shared by its accounts) and remember the account
-- that created them. Deletion is soft (discarded_at).
CREATE TABLE internship_offers (
    id                     BIGSERIAL PRIMARY KEY,
    operator_id            BIGINT NOT NULL REFERENCES operators (id),
    account_id             BIGINT NOT NULL REFERENCES accounts (id),
    remote_id              VARCHAR(50) NOT NULL,
    title                  VARCHAR(150) NOT NULL,
    description            VARCHAR(500) NOT NULL,
    employer_name          VARCHAR(180) NOT NULL,
    employer_description   VARCHAR(275),
    employer_website       VARCHAR(560),
    street                 VARCHAR(3000) NOT NULL,
    zipcode                VARCHAR(5) NOT NULL,
    city                   VARCHAR(50) NOT NULL,
    department             VARCHAR(3) NOT NULL,
    coordinates            geography(Point, 4326) NOT NULL,
    sector_id              BIGINT NOT NULL REFERENCES sectors (id),
    permalink              VARCHAR(280) NOT NULL,
    max_candidates         INTEGER NOT NULL DEFAULT 1 CHECK (max_candidates BETWEEN 1 AND 200),
    max_students_per_group INTEGER NOT NULL DEFAULT 1
        CHECK (max_students_per_group BETWEEN 1 AND max_candidates),
    is_public              BOOLEAN NOT NULL DEFAULT FALSE,
    handicap_accessible    BOOLEAN NOT NULL DEFAULT FALSE,
    lunch_break            VARCHAR(500),
    daily_hours            JSONB,
    first_date             DATE NOT NULL,
    last_date              DATE NOT NULL,
    published_at           TIMESTAMPTZ,
    discarded_at           TIMESTAMPTZ,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- A remote_id is unique among the live offers of one operator; a deleted one can be reused,
-- and two operators may use the same remote_id.
CREATE UNIQUE INDEX internship_offers_operator_remote_id_key
    ON internship_offers (operator_id, remote_id) WHERE discarded_at IS NULL;
CREATE INDEX internship_offers_remote_id_idx ON internship_offers (remote_id);
CREATE INDEX internship_offers_operator_listing_idx
    ON internship_offers (operator_id, id DESC) WHERE discarded_at IS NULL;
CREATE INDEX internship_offers_coordinates_idx ON internship_offers USING GIST (coordinates);
CREATE INDEX internship_offers_sector_id_idx ON internship_offers (sector_id);

CREATE TABLE internship_offer_weeks (
    internship_offer_id BIGINT NOT NULL REFERENCES internship_offers (id) ON DELETE CASCADE,
    week_id             INTEGER NOT NULL REFERENCES weeks (id),
    PRIMARY KEY (internship_offer_id, week_id)
);
CREATE INDEX internship_offer_weeks_week_id_idx ON internship_offer_weeks (week_id);
