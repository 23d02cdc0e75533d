-- French full-text search: accent-insensitive (unaccent) and stemmed (french_stem).
CREATE TEXT SEARCH CONFIGURATION public.monstage_fr (COPY = pg_catalog.french);
ALTER TEXT SEARCH CONFIGURATION public.monstage_fr
    ALTER MAPPING FOR hword, hword_part, word, asciihword, hword_asciipart, asciiword
    WITH public.unaccent, pg_catalog.french_stem;

-- Searched text: title, description and employer description, kept up to date by PostgreSQL.
ALTER TABLE internship_offers ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
    to_tsvector('public.monstage_fr'::regconfig,
        title || ' ' || description || ' ' || coalesce(employer_description, ''))
) STORED;

-- The catalogue is the published, live offers: the search indexes cover only them.
DROP INDEX internship_offers_coordinates_idx;
CREATE INDEX internship_offers_catalogue_coordinates_idx ON internship_offers USING GIST (coordinates)
    WHERE discarded_at IS NULL AND published_at IS NOT NULL;
CREATE INDEX internship_offers_catalogue_search_tsv_idx ON internship_offers USING GIN (search_tsv)
    WHERE discarded_at IS NULL AND published_at IS NOT NULL;
CREATE INDEX internship_offers_catalogue_id_idx ON internship_offers (id DESC)
    WHERE discarded_at IS NULL AND published_at IS NOT NULL;

-- Offers cluster in big cities, and words follow a long tail: finer statistics keep the
-- planner's estimates (radius, rare words) close to reality.
ALTER TABLE internship_offers ALTER COLUMN coordinates SET STATISTICS 1000;
ALTER TABLE internship_offers ALTER COLUMN search_tsv SET STATISTICS 1000;
