-- Sector referential; the uuid is the key partners send (sector_uuid).
CREATE TABLE sectors (
    id           BIGSERIAL PRIMARY KEY,
    name         VARCHAR(120) NOT NULL,
    external_url VARCHAR(560) NOT NULL DEFAULT '',
    uuid         UUID NOT NULL UNIQUE
);

-- ISO 8601 weeks ("2025-W10"); monday is the first day of the week.
CREATE TABLE weeks (
    id     SERIAL PRIMARY KEY,
    year   INTEGER NOT NULL,
    number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 53),
    monday DATE NOT NULL UNIQUE,
    UNIQUE (year, number)
);
